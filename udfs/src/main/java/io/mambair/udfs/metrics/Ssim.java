package io.mambair.udfs.metrics;

import io.mambair.runtime.image.PlanarImage;

/**
 * SSIM in the BasicSR convention: 11x11 Gaussian window (sigma 1.5, as {@code cv2.getGaussianKernel}),
 * statistics on the valid region only (BasicSR filters with {@code cv2.filter2D} and crops 5 pixels, which
 * is the same), population (co)variances, C1 = (0.01 R)^2, C2 = (0.03 R)^2, float64, mean over channels.
 */
public final class Ssim {
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double[] KERNEL = gaussianKernel();

    private Ssim() {}

    /** SSIM of {@code image} against {@code reference} (CHW [0,1] images of the same size, at least 11x11 after cropping). */
    public static double of(PlanarImage reference, PlanarImage image, MetricOptions options) {
        MetricPlanes[] p = MetricPlanes.pair(reference, image, options);
        int h = p[0].height();
        int w = p[0].width();
        if (h < WINDOW || w < WINDOW) {
            throw new IllegalArgumentException("SSIM needs at least " + WINDOW + "x" + WINDOW + " pixels after cropping, got " + w + "x" + h);
        }
        double range = options.dataRange();
        double c1 = (0.01 * range) * (0.01 * range);
        double c2 = (0.03 * range) * (0.03 * range);
        double total = 0;
        for (int c = 0; c < p[0].channels(); c++) total += channel(p[0].planes()[c], p[1].planes()[c], h, w, c1, c2);
        return total / p[0].channels();
    }

    private static double channel(double[] a, double[] b, int h, int w, double c1, double c2) {
        // Separable filtering of a, b, a^2, b^2 and ab: first along rows (valid columns), then columns.
        int vw = w - WINDOW + 1;
        int vh = h - WINDOW + 1;
        double[][] rows = new double[5][h * vw];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < vw; x++) {
                double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
                for (int k = 0; k < WINDOW; k++) {
                    double wk = KERNEL[k];
                    double va = a[y * w + x + k];
                    double vb = b[y * w + x + k];
                    sa += wk * va;
                    sb += wk * vb;
                    saa += wk * va * va;
                    sbb += wk * vb * vb;
                    sab += wk * va * vb;
                }
                int i = y * vw + x;
                rows[0][i] = sa;
                rows[1][i] = sb;
                rows[2][i] = saa;
                rows[3][i] = sbb;
                rows[4][i] = sab;
            }
        }
        double sum = 0;
        for (int y = 0; y < vh; y++) {
            for (int x = 0; x < vw; x++) {
                double[] s = new double[5];
                for (int k = 0; k < WINDOW; k++) {
                    double wk = KERNEL[k];
                    int i = (y + k) * vw + x;
                    for (int m = 0; m < 5; m++) s[m] += wk * rows[m][i];
                }
                double mu1 = s[0];
                double mu2 = s[1];
                double mu1Sq = mu1 * mu1;
                double mu2Sq = mu2 * mu2;
                double mu12 = mu1 * mu2;
                double sigma1Sq = s[2] - mu1Sq;
                double sigma2Sq = s[3] - mu2Sq;
                double sigma12 = s[4] - mu12;
                sum += ((2 * mu12 + c1) * (2 * sigma12 + c2)) / ((mu1Sq + mu2Sq + c1) * (sigma1Sq + sigma2Sq + c2));
            }
        }
        return sum / ((double) vh * vw);
    }

    /** {@code cv2.getGaussianKernel(11, 1.5)}: exp(-(i-5)^2 / (2 sigma^2)), normalised to sum 1. */
    private static double[] gaussianKernel() {
        double[] k = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - (WINDOW - 1) / 2.0;
            k[i] = Math.exp(-(d * d) / (2 * SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < WINDOW; i++) k[i] /= sum;
        return k;
    }
}
