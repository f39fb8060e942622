package io.mambair.job.execute;

import io.mambair.job.output.ImageRow;
import io.mambair.job.output.UnsafeOutputPathException;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.Quantizer;
import io.mambair.udfs.restore.ImageRestore;

/**
 * The last stages of one restored image: quantise, measure (benchmark mode), encode + write, row.
 * Measuring and encoding come before writing, so an image that fails either leaves no output file. Metrics
 * use the model's own output; a grey input is written grey unless {@code keepModelColour}.
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

    /** The row of {@code img} restored to {@code restored}; only a failing file system throws ({@link StorageFailure}). */
    public ImageRow finish(LoadedImage img, PlanarImage restored, String device, String scan, long runtimeMs, long startNanos) {
        String outputUri = img.item().outputUri();
        byte[] encoded;
        PlanarImage output;
        ImageMetrics metrics;
        try {
            int bits = img.lowQuality().bitDepth() > 8 ? 16 : 8;
            output = Quantizer.quantize(restored, bits);
            metrics = img.reference() == null ? null : ImageMetrics.measure(img.reference(), img.lowQuality(), output, scale, cropBorder);
            if (writer == null || outputUri == null) {
                encoded = null;
            } else {
                PlanarImage shown = keepModelColour ? output : Quantizer.quantize(ImageRestore.asInput(img.lowQuality().color(), restored), bits);
                encoded = writer.encode(outputUri, img.lowQuality(), shown, bits);
            }
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
