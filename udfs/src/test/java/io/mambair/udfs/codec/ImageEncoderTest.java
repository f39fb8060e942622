package io.mambair.udfs.codec;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.metrics.MetricOptions;
import io.mambair.udfs.metrics.Psnr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encoding keeps bit depth and alpha through a decode, and JPEG honours its quality. */
class ImageEncoderTest {

    @ParameterizedTest(name = "{0} {1}-bit, {2} channels, alpha {3}")
    @CsvSource({"png, 8, 3, false", "png, 8, 1, true", "png, 16, 3, true", "png, 16, 1, false",
            "tiff, 8, 3, false", "tiff, 16, 3, false", "tiff, 16, 1, true"})
    void losslessFormatsKeepEverySampleBitDepthAndAlpha(String format, int bitDepth, int channels, boolean alpha) throws IOException {
        DecodedImage image = new DecodedImage(levels(channels, 9, 7, bitDepth, 1), alpha ? levels(1, 9, 7, bitDepth, 2) : null, bitDepth, "test");
        DecodedImage back = ImageDecoder.decode(ImageEncoder.encode(image, format, 0), "round trip", 1000);
        assertEquals(format, back.format());
        assertEquals(bitDepth, back.bitDepth());
        assertArrayEquals(image.color().data(), back.color().data());
        if (alpha) assertArrayEquals(image.alpha().data(), back.alpha().data());
        else assertEquals(null, back.alpha());
    }

    @Test
    void floatImagesAreWrittenAsSixteenBitClampedAndRounded() throws IOException {
        PlanarImage f = new PlanarImage(1, 1, 4, new float[] {-0.2f, 0.5f, 1.0f / 65535 * 0.4f, 1.7f});
        DecodedImage back = ImageDecoder.decode(ImageEncoder.encode(DecodedImage.of(f, 32, "npy"), "png", 0), "f", 10);
        assertEquals(16, back.bitDepth());
        assertArrayEquals(new float[] {0f, 32768 / 65535f, 0f, 1f}, back.color().data());
    }

    @Test
    void jpegQualityControlsTheError() throws IOException {
        PlanarImage image = smooth(64, 64);
        double high = Psnr.of(image, jpegRoundTrip(image, 95), MetricOptions.basicsr(0, false));
        double low = Psnr.of(image, jpegRoundTrip(image, 10), MetricOptions.basicsr(0, false));
        assertTrue(high > low + 5, "q95 " + high + " dB vs q10 " + low + " dB");
        assertTrue(high > 35, "q95 " + high + " dB");
    }

    @Test
    void jpegRefusesAlphaAndBadQuality() {
        PlanarImage c = levels(3, 4, 4, 8, 0);
        assertThrows(IllegalArgumentException.class, () -> ImageEncoder.encode(new DecodedImage(c, levels(1, 4, 4, 8, 0), 8, "x"), "jpeg", 90));
        assertThrows(IllegalArgumentException.class, () -> ImageEncoder.encode(DecodedImage.of(c, 8, "x"), "jpeg", 0));
        assertThrows(IllegalArgumentException.class, () -> ImageEncoder.encode(DecodedImage.of(c, 8, "x"), "exr", 90));
    }

    private static PlanarImage jpegRoundTrip(PlanarImage image, int quality) throws IOException {
        return ImageDecoder.decode(ImageEncoder.encode(DecodedImage.of(image, 8, "x"), "jpeg", quality), "q" + quality, 1 << 20).color();
    }

    /** Random samples on the level grid of the bit depth. */
    private static PlanarImage levels(int c, int h, int w, int bitDepth, long seed) {
        int max = Quantizer.maxLevel(bitDepth);
        Random r = new Random(seed);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(max + 1) / (float) max;
        return new PlanarImage(c, h, w, d);
    }

    private static PlanarImage smooth(int h, int w) {
        PlanarImage p = PlanarImage.zeros(3, h, w);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) p.set(c, y, x, Math.round(255 * (0.5 + 0.4 * Math.sin((x + 2 * y + 9 * c) / 9.0))) / 255f);
            }
        }
        return p;
    }
}
