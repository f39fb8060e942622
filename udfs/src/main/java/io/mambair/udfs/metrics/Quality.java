package io.mambair.udfs.metrics;

import io.mambair.runtime.image.PlanarImage;

/** PSNR (dB) and SSIM of one image against its reference. */
public record Quality(double psnr, double ssim) {
    /** Both metrics under the same options. */
    public static Quality measure(PlanarImage reference, PlanarImage image, MetricOptions options) {
        return new Quality(Psnr.of(reference, image, options), Ssim.of(reference, image, options));
    }
}
