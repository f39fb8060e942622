package io.mambair.runtime.image;

import java.util.Objects;

/**
 * A float image in planar (CHW) layout, nominal range [0,1]; the unit every restore step consumes
 * and produces. The array is owned by the image: callers that keep it must not modify it.
 */
public final class PlanarImage {
    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    /** Wraps {@code data} (length channels*height*width, CHW order) without copying. */
    public PlanarImage(int channels, int height, int width, float[] data) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image dimensions must be positive: " + channels + "x" + height + "x" + width);
        }
        Objects.requireNonNull(data, "data");
        if ((long) channels * height * width != data.length) {
            throw new IllegalArgumentException("data length " + data.length + " does not match " + channels + "x" + height + "x" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    /** A zero-filled image. */
    public static PlanarImage zeros(int channels, int height, int width) {
        return new PlanarImage(channels, height, width, new float[Math.multiplyExact(Math.multiplyExact(channels, height), width)]);
    }

    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    /** The backing CHW array. */
    public float[] data() { return data; }
    public long pixels() { return (long) height * width; }

    public float get(int c, int y, int x) { return data[(c * height + y) * width + x]; }
    public void set(int c, int y, int x, float v) { data[(c * height + y) * width + x] = v; }

    @Override
    public String toString() {
        return "PlanarImage[" + channels + "x" + height + "x" + width + "]";
    }
}
