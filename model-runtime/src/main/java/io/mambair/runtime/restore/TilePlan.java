package io.mambair.runtime.restore;

import io.mambair.runtime.image.PlanarImage;

/**
 * How one image is cut into tiles and how tile outputs are put back together. Tiles are input
 * regions that may reach outside the image (filled by reflection); outputs arrive one tile at a time.
 */
interface TilePlan {
    /** An input region in image coordinates: top-left and size. */
    record Region(int y, int x, int height, int width) {}

    PlanarImage input();

    int tileCount();

    Region tile(int index);

    /** Consumes the output of tile {@code index}: CHW data at {@code offset} of {@code out}, (scale*h) x (scale*w). */
    void accept(int index, float[] out, int offset);

    /** The assembled output, once every tile was accepted. */
    PlanarImage result();
}
