package io.mambair.udfs.resize;

import io.mambair.runtime.image.PlanarImage;

/** Top-left crops: to a given size, and MATLAB/BasicSR {@code modcrop} to a multiple of the scale. */
public final class Crop {
    private Crop() {}

    /** The top-left {@code h x w} region (the image itself when it already has that size). */
    public static PlanarImage topLeft(PlanarImage image, int h, int w) {
        if (h > image.height() || w > image.width() || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("cannot crop a " + image.width() + "x" + image.height() + " image to " + w + "x" + h);
        }
        if (image.height() == h && image.width() == w) return image;
        int c = image.channels();
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(image.data(), (ch * image.height() + y) * image.width(), out, (ch * h + y) * w, w);
            }
        }
        return new PlanarImage(c, h, w, out);
    }

    /** Crops height and width down to multiples of {@code scale}. */
    public static PlanarImage modcrop(PlanarImage image, int scale) {
        return topLeft(image, image.height() - image.height() % scale, image.width() - image.width() % scale);
    }
}
