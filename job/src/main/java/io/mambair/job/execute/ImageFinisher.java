package io.mambair.job.execute;

import io.mambair.job.output.ImageRow;
import io.mambair.job.output.UnsafeOutputPathException;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.Quantizer;
import io.mambair.udfs.restore.ImageRestore;

/**
 * The last stages of one restored image: quantise (once, in the restored buffer itself), measure
 * (benchmark mode), encode + write, row. Measuring and encoding come before writing, so an image that
 * fails either leaves no output file. A benchmark image is written as it was measured (the model's
 * channels); in enhance mode a grey input is written grey unless {@code keepModelColour}.
 */
public final class ImageFinisher {
    private final OutputWriter writer;
    private final RowBuilder rows;
    private final int scale;
    private final int cropBorder;
    private final boolean keepModelColour;

    /** {@code writer} is null when images are not written. */
    public ImageFinisher(OutputWriter writer, RowBuilder rows, int scale, int cropBorder, boolean keepModelColour) {
        this.writer = writer;
        this.rows = rows;
        this.scale = scale;
        this.cropBorder = cropBorder;
        this.keepModelColour = keepModelColour;
    }

    /**
     * The row of {@code img} restored to {@code restored} (a buffer of this image alone: it is quantised
     * in place); only a failing file system throws ({@link StorageFailure}).
     */
    public ImageRow finish(LoadedImage img, PlanarImage restored, String device, String scan, long runtimeMs, long startNanos) {
        String outputUri = img.item().outputUri();
        byte[] encoded;
        PlanarImage output;
        ImageMetrics metrics;
        try {
            int bits = img.lowQuality().bitDepth() > 8 ? 16 : 8;
            boolean measured = img.reference() != null;
            output = Quantizer.quantizeInPlace(measured || keepModelColour ? restored : ImageRestore.asInput(img.lowQuality().color(), restored), bits);
            metrics = measured ? ImageMetrics.measure(img.reference(), img.lowQuality(), output, scale, cropBorder) : null;
            encoded = writer == null || outputUri == null ? null : writer.encode(outputUri, img.lowQuality(), output, bits);
        } catch (RuntimeException e) {
            return rows.error(img.item(), e, startNanos);
        }
        if (encoded != null) {
            try {
                writer.write(outputUri, encoded);
            } catch (UnsafeOutputPathException e) {
                return rows.error(img.item(), e, startNanos);
            }
        }
        return rows.ok(img, output, metrics, device, scan, runtimeMs, startNanos);
    }
}
