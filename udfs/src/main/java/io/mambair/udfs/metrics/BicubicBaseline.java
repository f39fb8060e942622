package io.mambair.udfs.metrics;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.resize.Crop;
import io.mambair.udfs.resize.MatlabImresize;
import io.mambair.udfs.resize.SampleType;

/**
 * The bicubic baseline of super-resolution: the low-resolution image upscaled by the scale with MATLAB
 * bicubic, scored against the ground truth cropped to {@code lr * scale} (BasicSR's pairing), with
 * {@code crop_border = scale} unless another crop is given.
 */
public final class BicubicBaseline {
    private BicubicBaseline() {}

    /** PSNR/SSIM of bicubic upscaling; {@code lrBitDepth} (8, 16 or 32 for float) decides the rounding of each pass. */
    public static Quality measure(PlanarImage groundTruth, PlanarImage lowRes, int lrBitDepth, int scale, boolean yChannel, int metricBitDepth) {
        return measure(groundTruth, lowRes, lrBitDepth, scale, scale, yChannel, metricBitDepth);
    }

    /** The same, with {@code cropBorder} pixels cropped from each edge before measuring. */
    public static Quality measure(PlanarImage groundTruth, PlanarImage lowRes, int lrBitDepth, int scale, int cropBorder,
                                  boolean yChannel, int metricBitDepth) {
        if (scale < 1) throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        PlanarImage up = MatlabImresize.resize(lowRes, scale, SampleType.forBitDepth(lrBitDepth));
        int h = up.height();
        int w = up.width();
        if (groundTruth.height() < h || groundTruth.width() < w) {
            throw new IllegalArgumentException("ground truth " + groundTruth.width() + "x" + groundTruth.height()
                    + " is smaller than the low-resolution image times " + scale + " (" + w + "x" + h + ")");
        }
        PlanarImage gt = Crop.topLeft(groundTruth, h, w);
        return Quality.measure(gt, up, new MetricOptions(cropBorder, yChannel, metricBitDepth));
    }
}
