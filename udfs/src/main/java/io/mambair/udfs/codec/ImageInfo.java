package io.mambair.udfs.codec;

/** What an image header says: size, colour channels (1 or 3, alpha not counted), alpha, bit depth, format. */
public record ImageInfo(int width, int height, int channels, boolean hasAlpha, int bitDepth, String format) {
    public long pixels() { return (long) width * height; }
}
