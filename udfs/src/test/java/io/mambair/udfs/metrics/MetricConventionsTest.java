package io.mambair.udfs.metrics;

import io.mambair.runtime.image.PlanarImage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Conventions stated in metrics-protocol.md that follow from the definitions, checked on random images. */
class MetricConventionsTest {

    @Test
    void greyImagesOnYAreScoredAsBasicsrColourReadsThem() {
        // BasicSR reads a grey PNG as three equal channels, so Y = 16 + 219 v / 255: the error shrinks by 219/255.
        PlanarImage a = random(1, 40, 40, 1);
        PlanarImage b = random(1, 40, 40, 2);
        double grey = Psnr.of(a, b, MetricOptions.basicsr(0, false));
        double y = Psnr.of(a, b, MetricOptions.basicsr(0, true));
        assertEquals(grey - 20 * Math.log10(219.0 / 255.0), y, 1e-4);
    }

    @Test
    void sixteenBitExtensionAgreesWithEightBitOnEightBitContent() {
        // An 8-bit image is exact at 16 bits (level * 257) and the data range scales by 257 too.
        PlanarImage a = random(3, 30, 30, 3);
        PlanarImage b = random(3, 30, 30, 4);
        assertEquals(Psnr.of(a, b, MetricOptions.basicsr(2, false)), Psnr.of(a, b, new MetricOptions(2, false, 16)), 1e-9);
        assertEquals(Ssim.of(a, b, MetricOptions.basicsr(2, false)), Ssim.of(a, b, new MetricOptions(2, false, 16)), 1e-9);
    }

    @Test
    void identicalImagesAndBadShapes() {
        PlanarImage a = random(3, 20, 20, 5);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.of(a, a, MetricOptions.basicsr(0, true)));
        assertEquals(1.0, Ssim.of(a, a, MetricOptions.basicsr(0, true)), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Psnr.of(a, random(3, 20, 21, 6), MetricOptions.basicsr(0, true)));
        assertThrows(IllegalArgumentException.class, () -> Ssim.of(a, a, MetricOptions.basicsr(5, true)));
        assertThrows(IllegalArgumentException.class, () -> Psnr.of(a, a, MetricOptions.basicsr(10, true)));
    }

    private static PlanarImage random(int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(256) / 255f;
        return new PlanarImage(c, h, w, d);
    }
}
