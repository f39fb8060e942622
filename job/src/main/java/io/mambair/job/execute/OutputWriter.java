package io.mambair.job.execute;

import io.mambair.job.output.AtomicFiles;
import io.mambair.job.output.OutputPaths;
import io.mambair.job.output.UnsafeOutputPathException;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageEncoder;
import io.mambair.udfs.restore.ImageRestore;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;

/**
 * The encode + write stage: the quantised output (with the input's alpha upscaled, where the format
 * keeps alpha) encoded in the format of its file name and written so that it exists whole or not at all.
 */
public final class OutputWriter {
    private final String outputRoot;
    private final int jpegQuality;
    private final int scale;
    private final Configuration conf;

    public OutputWriter(String outputRoot, int jpegQuality, int scale, Configuration conf) {
        this.outputRoot = outputRoot;
        this.jpegQuality = jpegQuality;
        this.scale = scale;
        this.conf = conf;
    }

    /** The encoded file of {@code output} ({@code bits} per sample) for an output named {@code outputUri}. */
    public byte[] encode(String outputUri, DecodedImage lowQuality, PlanarImage output, int bits) {
        String format = ImageEncoder.formatForExtension(outputUri);
        PlanarImage alpha = "jpeg".equals(format) || !lowQuality.hasAlpha() ? null : ImageRestore.upscaledAlpha(lowQuality, scale);
        return ImageEncoder.encode(new DecodedImage(output, alpha, bits, format), format, jpegQuality);
    }

    /**
     * Writes {@code encoded} to {@code outputUri}: refused when the path goes through a link (the
     * image's problem), a failing file system is a {@link StorageFailure}.
     */
    public void write(String outputUri, byte[] encoded) throws UnsafeOutputPathException {
        try {
            OutputPaths.requireNoLinks(outputRoot, outputUri, conf);
            AtomicFiles.write(outputUri, encoded, conf);
        } catch (UnsafeOutputPathException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageFailure("writing " + outputUri, e);
        }
    }
}
