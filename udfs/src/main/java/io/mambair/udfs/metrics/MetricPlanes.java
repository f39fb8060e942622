package io.mambair.udfs.metrics;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.Quantizer;

/**
 * The planes BasicSR measures: samples rounded to integer levels ({@code tensor2img}), the border
 * cropped, then either every channel or the Y channel, as float64 on the 0..dataRange scale.
 * Y follows BasicSR's {@code to_y_channel} step by step, float32 roundings included: the levels are
 * divided by 255 in float32, weighted in float64, divided by 255 and stored as float32, then
 * multiplied by 255 in float32. For 16-bit, Y of the [0,1] values is scaled to 0..65535 instead.
 * A grey image measured on Y is treated as RGB with three equal channels, as BasicSR's colour
 * {@code imread} of a grey file does (Y = 16 + 219 v).
 */
record MetricPlanes(int channels, int height, int width, double[][] planes) {

    static MetricPlanes of(PlanarImage image, MetricOptions o) {
        int crop = o.cropBorder();
        int h = image.height() - 2 * crop;
        int w = image.width() - 2 * crop;
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("crop border " + crop + " leaves nothing of a " + image.width() + "x" + image.height() + " image");
        }
        int max = Quantizer.maxLevel(o.bitDepth());
        int c = image.channels();
        int[][] levels = new int[c][h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) levels[ch][y * w + x] = Quantizer.level(image.get(ch, y + crop, x + crop), max);
            }
        }
        if (!o.yChannel()) {
            double[][] planes = new double[c][h * w];
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h * w; i++) planes[ch][i] = levels[ch][i];
            }
            return new MetricPlanes(c, h, w, planes);
        }
        if (c != 1 && c != 3) throw new IllegalArgumentException("Y channel needs a grey or RGB image, got " + c + " channels");
        int[] r = levels[0];
        int[] g = levels[c == 3 ? 1 : 0];
        int[] b = levels[c == 3 ? 2 : 0];
        double[] y = new double[h * w];
        for (int i = 0; i < y.length; i++) y[i] = luma(r[i], g[i], b[i], max);
        return new MetricPlanes(1, h, w, new double[][] {y});
    }

    private static double luma(int r, int g, int b, int max) {
        if (max == 255) {
            double y = (b / 255f) * 24.966 + (g / 255f) * 128.553 + (r / 255f) * 65.481 + 16.0;
            return (float) (y / 255.0) * 255f;
        }
        double y = (b / (double) max) * 24.966 + (g / (double) max) * 128.553 + (r / (double) max) * 65.481 + 16.0;
        return y / 255.0 * max;
    }

    /**
     * The planes of a reference and an image of the same size; a grey image compared with an RGB one
     * is read as RGB with three equal channels (as BasicSR's colour {@code imread} does).
     */
    static MetricPlanes[] pair(PlanarImage reference, PlanarImage image, MetricOptions o) {
        if (reference.height() != image.height() || reference.width() != image.width()) {
            throw new IllegalArgumentException("images differ in size: reference " + reference.width() + "x" + reference.height()
                    + ", image " + image.width() + "x" + image.height());
        }
        PlanarImage a = reference;
        PlanarImage b = image;
        if (a.channels() == 1 && b.channels() == 3) a = toRgb(a);
        if (b.channels() == 1 && a.channels() == 3) b = toRgb(b);
        if (a.channels() != b.channels()) {
            throw new IllegalArgumentException("images differ in channels: reference " + reference.channels() + ", image " + image.channels());
        }
        return new MetricPlanes[] {of(a, o), of(b, o)};
    }

    private static PlanarImage toRgb(PlanarImage grey) {
        int n = grey.height() * grey.width();
        float[] rgb = new float[3 * n];
        for (int c = 0; c < 3; c++) System.arraycopy(grey.data(), 0, rgb, c * n, n);
        return new PlanarImage(3, grey.height(), grey.width(), rgb);
    }
}
