package io.mambair.job;

/** Nearest-neighbour upscaling of NCHW planes: what the tests' stand-in models return for a batch. */
public final class NearestUpscale {
    private NearestUpscale() {}

    /** {@code planes} planes of {@code height} x {@code width}, each pixel repeated {@code scale} x {@code scale} times. */
    public static float[] of(float[] nchw, int planes, int height, int width, int scale) {
        if (scale == 1) return nchw.clone();
        int oh = height * scale;
        int ow = width * scale;
        float[] out = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) out[(p * oh + y) * ow + x] = nchw[(p * height + y / scale) * width + x / scale];
            }
        }
        return out;
    }
}
