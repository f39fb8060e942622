package io.mambair.udfs.metrics;

import io.mambair.runtime.image.PlanarImage;

/** PSNR in the BasicSR convention: {@code 10 log10(range^2 / MSE)} over all measured planes, float64; infinite when equal. */
public final class Psnr {
    private Psnr() {}

    /** PSNR of {@code image} against {@code reference} (CHW [0,1] images of the same size). */
    public static double of(PlanarImage reference, PlanarImage image, MetricOptions options) {
        MetricPlanes[] p = MetricPlanes.pair(reference, image, options);
        double sum = 0;
        long n = 0;
        for (int c = 0; c < p[0].channels(); c++) {
            double[] a = p[0].planes()[c];
            double[] b = p[1].planes()[c];
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                sum += d * d;
            }
            n += a.length;
        }
        double mse = sum / n;
        if (mse == 0) return Double.POSITIVE_INFINITY;
        double range = options.dataRange();
        return 10.0 * Math.log10(range * range / mse);
    }
}
