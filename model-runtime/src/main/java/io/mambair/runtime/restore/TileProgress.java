package io.mambair.runtime.restore;

/**
 * Told, on the restoring thread, after each model batch, how many output pixels of the images being
 * restored that batch finished; over one restore the calls add up to the output pixels of its images.
 */
@FunctionalInterface
public interface TileProgress {
    /** A listener that ignores progress. */
    TileProgress NONE = pixels -> { };

    /** {@code pixels} more output pixels are done. */
    void outputPixelsDone(long pixels);
}
