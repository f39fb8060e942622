package io.mambair.job.execute;

import io.mambair.job.output.ImageRow;
import io.mambair.job.output.UnsafeOutputPathException;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.Quantizer;

/**
 * The last stages of one restored image: quantise, measure (benchmark mode), encode + write, row.
 * Measuring and encoding come before writing, so an image that fails either leaves no output file.
 */
public final class ImageFinisher {
    private final OutputWriter writer;
    private final RowBuilder rows;
    private final int scale;
    private final int cropBorder;

    /** {@code writer} is null when images are not written. */
    public ImageFinisher(OutputWriter writer, RowBuilder rows, int scale, int cropBorder) {
        this.writer = writer;
        this.rows = rows;
        this.scale = scale;
        this.cropBorder = cropBorder;
    }

    /** The row of {@code img} restored to {@code restored}; only a failing file system throws ({@link StorageFailure}). */
    public ImageRow finish(LoadedImage img, PlanarImage restored, String device, long runtimeMs, long startNanos) {
        String outputUri = img.item().outputUri();
        byte[] encoded;
        PlanarImage output;
        ImageMetrics metrics;
        try {
            int bits = img.lowQuality().bitDepth() > 8 ? 16 : 8;
            output = Quantizer.quantize(restored, bits);
            metrics = img.reference() == null ? null : ImageMetrics.measure(img.reference(), img.lowQuality(), output, scale, cropBorder);
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
        return rows.ok(img, output, metrics, device, runtimeMs, startNanos);
    }
}
