package io.mambair.udfs.codec;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.npy.Npy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Float images in {@code .npy} files, shaped (1,C,H,W), (C,H,W) or (H,W) with C = 1 or 3: raw model
 * outputs and pre-made low-quality inputs whose unclipped float noise no 8-bit file can carry.
 */
public final class NpyImage {
    private NpyImage() {}

    /** Reads a float image; values are kept as they are (no clamp, no rounding). */
    public static DecodedImage read(byte[] bytes, String name, long maxPixels) throws ImageDecodeException {
        Npy.FloatArray array;
        try {
            array = Npy.read(new ByteArrayInputStream(bytes), name);
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(name + ": " + e.getMessage(), e);
        }
        long[] s = array.shape();
        long c;
        long h;
        long w;
        if (s.length == 4 && s[0] == 1) { c = s[1]; h = s[2]; w = s[3]; }
        else if (s.length == 3) { c = s[0]; h = s[1]; w = s[2]; }
        else if (s.length == 2) { c = 1; h = s[0]; w = s[1]; }
        else throw new ImageDecodeException(name + ": .npy shape " + Arrays.toString(s) + " is not an image (expected (1,C,H,W), (C,H,W) or (H,W))");
        if (c != 1 && c != 3) throw new ImageDecodeException(name + ": .npy image has " + c + " channels (expected 1 or 3)");
        if (h * w > maxPixels) throw new ImageTooLargeException(name + ": " + w + "x" + h + " exceeds the limit of " + maxPixels + " pixels");
        return DecodedImage.of(new PlanarImage((int) c, (int) h, (int) w, array.data()), 32, "npy");
    }

    /** The colour planes as a (1,C,H,W) float32 array (alpha is not stored). */
    public static byte[] write(PlanarImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Npy.write(out, new long[] {1, image.channels(), image.height(), image.width()}, image.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
