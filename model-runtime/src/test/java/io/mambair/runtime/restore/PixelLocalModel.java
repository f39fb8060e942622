package io.mambair.runtime.restore;

/**
 * A test model whose output pixel depends only on its own input pixel (nearest-neighbour upscale of
 * a non-linear function), so any correct tiling must reproduce the whole-image output exactly.
 */
final class PixelLocalModel implements TileModel {
    final int scale;
    int calls;
    int maxBatch;

    PixelLocalModel(int scale) {
        this.scale = scale;
    }

    @Override
    public float[] run(float[] nchw, int n, int channels, int height, int width) {
        calls++;
        maxBatch = Math.max(maxBatch, n);
        int oh = height * scale;
        int ow = width * scale;
        float[] out = new float[n * channels * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        float v = nchw[((b * channels + c) * height + y / scale) * width + x / scale];
                        out[((b * channels + c) * oh + y) * ow + x] = (float) Math.sin(3 * v) + c;
                    }
                }
            }
        }
        return out;
    }
}
