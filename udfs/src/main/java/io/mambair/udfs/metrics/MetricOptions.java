package io.mambair.udfs.metrics;

/**
 * How images are compared: pixels cropped from every edge, Y channel (BasicSR's unrounded
 * {@code 16 + 65.481R + 128.553G + 24.966B}) or all channels, and the integer bit depth both images
 * are rounded to first (8 = BasicSR; 16 = this project's extension, data range 65535).
 */
public record MetricOptions(int cropBorder, boolean yChannel, int bitDepth) {
    public MetricOptions {
        if (cropBorder < 0) throw new IllegalArgumentException("crop border must be >= 0, got " + cropBorder);
        if (bitDepth != 8 && bitDepth != 16) throw new IllegalArgumentException("metric bit depth must be 8 or 16, got " + bitDepth);
    }

    /** The BasicSR convention on 8-bit images. */
    public static MetricOptions basicsr(int cropBorder, boolean yChannel) {
        return new MetricOptions(cropBorder, yChannel, 8);
    }

    /** The peak value of the data range: 255 or 65535. */
    public double dataRange() {
        return bitDepth == 8 ? 255.0 : 65535.0;
    }
}
