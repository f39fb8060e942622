package io.mambair.udfs.degrade;

/**
 * A benchmark degradation, applied in this order: MATLAB bicubic downscaling by {@code bicubicScale}
 * (after modcrop; 1 = none), Gaussian noise of {@code noiseSigma} in 8-bit units (0 = none) drawn
 * from {@code noiseSeed}, and JPEG compression at {@code jpegQuality} (0 = none).
 */
public record Degradation(int bicubicScale, double noiseSigma, long noiseSeed, int jpegQuality) {
    public Degradation {
        if (bicubicScale < 1) throw new IllegalArgumentException("bicubic scale must be >= 1, got " + bicubicScale);
        if (!(noiseSigma >= 0) || Double.isInfinite(noiseSigma)) throw new IllegalArgumentException("noise sigma must be >= 0, got " + noiseSigma);
        if (noiseSeed < 0 || noiseSeed > 0xffffffffL) throw new IllegalArgumentException("noise seed must be 0..4294967295 (as np.random.seed), got " + noiseSeed);
        if (jpegQuality < 0 || jpegQuality > 100) throw new IllegalArgumentException("JPEG quality must be 1..100 (0 = none), got " + jpegQuality);
    }

    /** Bicubic downscaling only. */
    public static Degradation bicubic(int scale) {
        return new Degradation(scale, 0, 0, 0);
    }
}
