package io.mambair.udfs.codec;

import io.mambair.runtime.image.PlanarImage;

/**
 * Float [0,1] samples to integer levels, the way BasicSR's {@code tensor2img} does it: clamp to [0,1],
 * multiply in float32 by the maximum level, round half to even.
 */
public final class Quantizer {
    private Quantizer() {}

    /** The largest level of a bit depth (255 or 65535). */
    public static int maxLevel(int bitDepth) {
        return switch (bitDepth) {
            case 8 -> 255;
            case 16 -> 65535;
            default -> throw new IllegalArgumentException("integer bit depth must be 8 or 16, got " + bitDepth);
        };
    }

    /** The integer level of one sample. */
    public static int level(float v, int maxLevel) {
        float c = v > 0f ? (v < 1f ? v : 1f) : 0f;  // NaN goes to 0
        return (int) Math.rint(c * (float) maxLevel);
    }

    /** The image with every sample replaced by {@code level / maxLevel} (a new array). */
    public static PlanarImage quantize(PlanarImage image, int bitDepth) {
        int max = maxLevel(bitDepth);
        float[] src = image.data();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) out[i] = level(src[i], max) / (float) max;
        return new PlanarImage(image.channels(), image.height(), image.width(), out);
    }

    /** {@link #quantize} writing into {@code image}'s own array (for a buffer no one else reads); returns {@code image}. */
    public static PlanarImage quantizeInPlace(PlanarImage image, int bitDepth) {
        int max = maxLevel(bitDepth);
        float[] d = image.data();
        for (int i = 0; i < d.length; i++) d[i] = level(d[i], max) / (float) max;
        return image;
    }
}
