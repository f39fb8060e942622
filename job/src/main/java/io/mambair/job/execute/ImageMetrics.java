package io.mambair.job.execute;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.Quantizer;
import io.mambair.udfs.metrics.BicubicBaseline;
import io.mambair.udfs.metrics.MetricOptions;
import io.mambair.udfs.metrics.Quality;
import io.mambair.udfs.resize.Crop;
import io.mambair.udfs.restore.ImageRestore;

/**
 * The metrics of one benchmark image in the BasicSR convention: the model's output (quantised,
 * before any conversion for writing) against the reference cropped to the output size, on all
 * channels and on Y, and the baseline (bicubic upscaling of the low-quality image, or the degraded
 * input itself at scale 1) under the same crop. A grey reference scored against a colour output is
 * read as three equal channels, as BasicSR's colour {@code imread} does.
 */
public record ImageMetrics(double psnr, double ssim, double psnrY, double ssimY, double baselinePsnrY, double baselineSsimY,
                           int cropBorder) {

    /** Measures {@code output} (quantised to integer levels) against {@code reference}; {@code lq} is the model's input. */
    public static ImageMetrics measure(DecodedImage reference, DecodedImage lq, PlanarImage output, int scale, int cropBorder) {
        PlanarImage ref = reference.color();
        if (ref.height() < output.height() || ref.width() < output.width()) {
            throw new IllegalArgumentException("reference " + ref.width() + "x" + ref.height()
                    + " is smaller than the output " + output.width() + "x" + output.height());
        }
        PlanarImage gt = Crop.topLeft(ref, output.height(), output.width());
        int bits = reference.bitDepth() > 8 ? 16 : 8;
        Quality all = Quality.measure(gt, output, new MetricOptions(cropBorder, false, bits));
        Quality y = Quality.measure(gt, output, new MetricOptions(cropBorder, true, bits));
        PlanarImage lqPlanes = ImageRestore.modelInput(lq.color(), gt.channels());
        Quality baseline = scale > 1
                ? BicubicBaseline.measure(ref, lqPlanes, lq.bitDepth(), scale, cropBorder, true, bits)
                : Quality.measure(gt, Quantizer.quantize(Crop.topLeft(lqPlanes, gt.height(), gt.width()), bits),
                        new MetricOptions(cropBorder, true, bits));
        return new ImageMetrics(all.psnr(), all.ssim(), y.psnr(), y.ssim(), baseline.psnr(), baseline.ssim(), cropBorder);
    }
}
