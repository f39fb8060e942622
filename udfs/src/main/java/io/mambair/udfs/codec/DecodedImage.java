package io.mambair.udfs.codec;

import io.mambair.runtime.image.PlanarImage;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A decoded image: colour planes (1 grey or 3 RGB channels, [0,1]), an optional separate alpha plane,
 * the bit depth of the source samples (8, 16, or 32 for float {@code .npy}) and its format name.
 */
public record DecodedImage(PlanarImage color, PlanarImage alpha, int bitDepth, String format) {
    public DecodedImage {
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(format, "format");
        if (color.channels() != 1 && color.channels() != 3) {
            throw new IllegalArgumentException("colour planes must be 1 (grey) or 3 (RGB) channels, got " + color.channels());
        }
        if (alpha != null && (alpha.channels() != 1 || alpha.height() != color.height() || alpha.width() != color.width())) {
            throw new IllegalArgumentException("alpha " + alpha + " does not match colour " + color);
        }
        if (bitDepth != 8 && bitDepth != 16 && bitDepth != 32) {
            throw new IllegalArgumentException("bit depth must be 8, 16 or 32, got " + bitDepth);
        }
    }

    /** An opaque image. */
    public static DecodedImage of(PlanarImage color, int bitDepth, String format) {
        return new DecodedImage(color, null, bitDepth, format);
    }

    public boolean hasAlpha() { return alpha != null; }
    public int width() { return color.width(); }
    public int height() { return color.height(); }

    /** The same image with {@code op} applied to the colour planes and to the alpha plane (when present). */
    public DecodedImage mapPlanes(UnaryOperator<PlanarImage> op) {
        return new DecodedImage(op.apply(color), alpha == null ? null : op.apply(alpha), bitDepth, format);
    }

    /** The same alpha, depth and format with new colour planes of the same size. */
    public DecodedImage withColor(PlanarImage newColor) {
        return new DecodedImage(newColor, alpha, bitDepth, format);
    }
}
