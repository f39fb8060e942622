package io.mambair.runtime.restore;

import io.mambair.runtime.image.PlanarImage;

/**
 * Fixed tile x tile regions at a stride of tile - overlap, the last row/column aligned to the image
 * edge (an image smaller than a tile is reflect-padded to it), overlaps blended with raised-cosine
 * weights. The weights are separable, so the normaliser is a product of two 1-D sums.
 */
final class BlendPlan implements TilePlan {
    private final PlanarImage input;
    private final int scale;
    private final int outChannels;
    private final int tile;
    private final int[] ys;
    private final int[] xs;
    private final float[][] wy;
    private final float[][] wx;
    private final double[] sumY;
    private final double[] sumX;
    private final float[] acc;

    BlendPlan(PlanarImage input, int scale, int outChannels, int tile, int overlap) {
        this.input = input;
        this.scale = scale;
        this.outChannels = outChannels;
        this.tile = tile;
        ys = starts(input.height(), tile, overlap);
        xs = starts(input.width(), tile, overlap);
        wy = weights(ys, tile, scale);
        wx = weights(xs, tile, scale);
        sumY = sums(ys, wy, input.height() * scale, scale);
        sumX = sums(xs, wx, input.width() * scale, scale);
        acc = new float[outChannels * input.height() * scale * input.width() * scale];
    }

    static int[] starts(int size, int tile, int overlap) {
        if (size <= tile) return new int[] {0};
        int stride = tile - overlap;
        int n = (size - tile + stride - 1) / stride + 1;
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = Math.min(i * stride, size - tile);
        return s;
    }

    /** Per-tile output weights: raised-cosine ramps across the part shared with each neighbour. */
    private static float[][] weights(int[] starts, int tile, int scale) {
        float[][] w = new float[starts.length][];
        int len = tile * scale;
        for (int t = 0; t < starts.length; t++) {
            w[t] = new float[len];
            int before = t > 0 ? (starts[t - 1] + tile - starts[t]) * scale : 0;
            int after = t < starts.length - 1 ? (starts[t] + tile - starts[t + 1]) * scale : 0;
            for (int i = 0; i < len; i++) {
                double v = 1;
                if (i < before) v *= ramp((i + 0.5) / before);
                if (len - 1 - i < after) v *= ramp((len - 1 - i + 0.5) / after);
                w[t][i] = (float) v;
            }
        }
        return w;
    }

    private static double ramp(double t) {
        double s = Math.sin(Math.PI / 2 * t);
        return s * s;
    }

    private static double[] sums(int[] starts, float[][] w, int outSize, int scale) {
        double[] s = new double[outSize];
        for (int t = 0; t < starts.length; t++) {
            for (int i = 0; i < w[t].length; i++) {
                int o = starts[t] * scale + i;
                if (o < outSize) s[o] += w[t][i];
            }
        }
        return s;
    }

    @Override public PlanarImage input() { return input; }
    @Override public int tileCount() { return ys.length * xs.length; }

    @Override
    public Region tile(int index) {
        return new Region(ys[index / xs.length], xs[index % xs.length], tile, tile);
    }

    @Override
    public void accept(int index, float[] tileOut, int offset) {
        int ty = index / xs.length;
        int tx = index % xs.length;
        int len = tile * scale;
        int oh = input.height() * scale;
        int ow = input.width() * scale;
        int y0 = ys[ty] * scale;
        int x0 = xs[tx] * scale;
        int hh = Math.min(len, oh - y0);
        int ww = Math.min(len, ow - x0);
        for (int c = 0; c < outChannels; c++) {
            for (int y = 0; y < hh; y++) {
                float wyv = wy[ty][y];
                int src = offset + (c * len + y) * len;
                int dst = (c * oh + y0 + y) * ow + x0;
                for (int x = 0; x < ww; x++) acc[dst + x] += wyv * wx[tx][x] * tileOut[src + x];
            }
        }
    }

    @Override
    public PlanarImage result() {
        int oh = input.height() * scale;
        int ow = input.width() * scale;
        for (int c = 0; c < outChannels; c++) {
            for (int y = 0; y < oh; y++) {
                int row = (c * oh + y) * ow;
                for (int x = 0; x < ow; x++) acc[row + x] = (float) (acc[row + x] / (sumY[y] * sumX[x]));
            }
        }
        return new PlanarImage(outChannels, oh, ow, acc);
    }
}
