package io.mambair.runtime.restore;

/** A model that maps an NCHW float batch to its NCHW output (out channels, scale x larger). */
@FunctionalInterface
public interface TileModel {
    /** Runs a batch of {@code n} tiles of {@code channels} x {@code height} x {@code width}. */
    float[] run(float[] nchw, int n, int channels, int height, int width);
}
