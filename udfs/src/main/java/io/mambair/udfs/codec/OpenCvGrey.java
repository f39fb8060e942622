package io.mambair.udfs.codec;

import io.mambair.runtime.image.PlanarImage;

/**
 * RGB to grey as OpenCV's {@code IMREAD_GRAYSCALE} does it for files that are not JPEG: PNG through
 * libpng's {@code png_set_rgb_to_gray(0.299, 0.587)} (15-bit weights 9797/19234/3737, truncated), every
 * other format through {@code cv::cvtColor}'s 14-bit weights 4899/9617/1868, rounded. (JPEG is decoded
 * straight to its Y channel by the decoder.) Works on the integer samples at the image's bit depth.
 */
final class OpenCvGrey {
    private OpenCvGrey() {}

    static PlanarImage convert(PlanarImage rgb, int bitDepth, String format) {
        if (rgb.channels() == 1) return rgb;
        boolean png = "png".equals(format);
        int n = rgb.height() * rgb.width();
        float max = (1 << bitDepth) - 1;
        float[] s = rgb.data();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            long r = Math.round(s[i] * max);
            long g = Math.round(s[n + i] * max);
            long b = Math.round(s[2 * n + i] * max);
            long y = png ? (r * 9797 + g * 19234 + b * 3737) >> 15 : (r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14;
            out[i] = y / max;
        }
        return new PlanarImage(1, rgb.height(), rgb.width(), out);
    }
}
