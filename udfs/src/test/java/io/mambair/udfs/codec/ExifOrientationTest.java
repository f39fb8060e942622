package io.mambair.udfs.codec;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.DebianNumpy;
import io.mambair.runtime.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real photo given each EXIF orientation (an APP1 Exif segment with tag 274 written into a copy)
 * decodes as OpenCV's {@code imread} shows it, which applies the orientation; the stored orientation is kept on request.
 */
@Slow
class ExifOrientationTest {
    @TempDir
    Path tmp;

    @Test
    void everyOrientationDecodesAsOpenCvShowsItAndKeepingItReturnsTheStoredPixels() throws Exception {
        Path photo = SharedData.require("data/photos/mate_Dune.jpg");
        byte[] original = Files.readAllBytes(photo);
        DecodedImage stored = ImageDecoder.decode(original, "original", 1 << 24);
        DecodedImage storedGrey = ImageDecoder.decode(original, "original", 1 << 24, DecodeOptions.GREY);
        for (int orientation = 1; orientation <= 8; orientation++) {
            Path tagged = Files.write(tmp.resolve("o" + orientation + ".jpg"), withOrientation(original, orientation));
            DebianNumpy.run("""
                    import sys, cv2, numpy as np
                    g = cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE)
                    np.array(g.shape, '<u4').tofile(sys.argv[2] + '.shape')
                    g.astype(np.uint8).tofile(sys.argv[2])
                    """, tagged.toString(), tmp.resolve("cv" + orientation).toString());
            long[] shape = DebianNumpy.readUInt32(tmp.resolve("cv" + orientation + ".shape"));
            int[] opencv = DebianNumpy.readUInt8(tmp.resolve("cv" + orientation));
            byte[] bytes = Files.readAllBytes(tagged);
            String label = "orientation " + orientation;

            DecodedImage grey = ImageDecoder.decode(bytes, label, 1 << 24, DecodeOptions.GREY);
            assertEquals(shape[0], grey.height(), label);
            assertEquals(shape[1], grey.width(), label);
            for (int k = 0; k < opencv.length; k++) {
                if (Math.round(grey.color().data()[k] * 255f) != opencv[k]) assertEquals(opencv[k], Math.round(grey.color().data()[k] * 255f), label + " pixel " + k);
            }
            ImageInfo info = ImageDecoder.info(bytes, label);
            assertEquals(grey.width(), info.width(), label + ": header size as shown");

            // colour: the same turn of every plane as the grey plane took (grey and colour decode one Y channel)
            DecodedImage colour = ImageDecoder.decode(bytes, label, 1 << 24);
            assertEquals(grey.width(), colour.width(), label);
            assertTrue(sameTurn(storedGrey.color(), grey.color(), stored.color(), colour.color()), label + ": colour turned as grey");

            DecodedImage kept = ImageDecoder.decode(bytes, label, 1 << 24, DecodeOptions.DEFAULT.withOrientation(false));
            assertArrayEquals(stored.color().data(), kept.color().data(), label + ": stored orientation kept");
        }
    }

    /** True when the pixel that moved from p to q in the grey image moved the same way in every colour plane (checked on a grid). */
    private static boolean sameTurn(PlanarImage greyBefore, PlanarImage greyAfter, PlanarImage before, PlanarImage after) {
        // find where stored (0,0), (0,w-1), (h-1,0) went by matching 5x5 grey patches is fragile; instead use the
        // grey turn itself: for each output pixel find its source by the grey plane's unique index map built from ramps
        int h = before.height();
        int w = before.width();
        PlanarImage ramp = PlanarImage.zeros(1, h, w);
        for (int i = 0; i < h * w; i++) ramp.data()[i] = i;
        int orientation = orientationOf(greyBefore, greyAfter);
        PlanarImage moved = ExifOrientation.apply(ramp, orientation);
        int n = h * w;
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < n; k += 97) {
                int src = (int) moved.data()[k];
                if (after.data()[c * n + k] != before.data()[c * n + src]) return false;
            }
        }
        return true;
    }

    /** The one orientation whose turn maps the stored grey plane onto the shown one (found by OpenCV's output, not by the tag). */
    private static int orientationOf(PlanarImage before, PlanarImage after) {
        for (int o = 1; o <= 8; o++) {
            PlanarImage t = ExifOrientation.apply(before, o);
            if (t.height() == after.height() && java.util.Arrays.equals(t.data(), after.data())) return o;
        }
        throw new AssertionError("no orientation maps the stored grey plane onto the shown one");
    }

    /** The JPEG with an APP1 Exif segment (big-endian TIFF, IFD0 with only tag 274) inserted after SOI. */
    static byte[] withOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = 2 + 6 + tiff.length;
        out.write(0xff);
        out.write(0xe1);
        out.write(length >> 8);
        out.write(length & 0xff);
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
