package io.mambair.job.execute;

import io.mambair.job.BasicsrReference;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageEncoder;
import io.mambair.udfs.codec.Quantizer;
import io.mambair.udfs.resize.MatlabImresize;
import io.mambair.udfs.resize.SampleType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageMetricsTest {
    private static PlanarImage random(int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(256) / 255f;
        return new PlanarImage(c, h, w, d);
    }

    /** A smooth image plus noise: metrics in a realistic range, not those of two random images. */
    private static PlanarImage noisy(PlanarImage base, double sigma, long seed) {
        Random r = new Random(seed);
        float[] d = base.data().clone();
        for (int i = 0; i < d.length; i++) d[i] = (float) Math.min(1, Math.max(0, d[i] + r.nextGaussian() * sigma / 255));
        return Quantizer.quantize(new PlanarImage(base.channels(), base.height(), base.width(), d), 8);
    }

    @ParameterizedTest(name = "crop {0}")
    @ValueSource(ints = {0, 2, 4})
    void aGreyReferenceAgainstAColourOutputIsScoredAsBasicsrScoresIt(int crop, @TempDir Path dir) throws Exception {
        PlanarImage lqGrey = random(1, 21, 24, 7);
        PlanarImage ref = Quantizer.quantize(MatlabImresize.resize(lqGrey, 2, SampleType.UINT8), 8);
        PlanarImage colourOutput = noisy(new PlanarImage(3, ref.height(), ref.width(), concat(ref, ref, ref)), 6, 3);
        ImageMetrics m = ImageMetrics.measure(DecodedImage.of(ref, 8, "png"), DecodedImage.of(lqGrey, 8, "png"), colourOutput, 2, crop);

        Path refFile = dir.resolve("ref.png");
        Path outFile = dir.resolve("out.png");
        Files.write(refFile, ImageEncoder.encode(DecodedImage.of(ref, 8, "png"), "png", 95));
        Files.write(outFile, ImageEncoder.encode(DecodedImage.of(colourOutput, 8, "png"), "png", 95));
        BasicsrReference.Metrics e = BasicsrReference.metrics(crop, List.<Path[]>of(new Path[] {refFile, outFile})).get(0);
        assertEquals(e.psnr(), m.psnr(), 1e-9);
        assertEquals(e.ssim(), m.ssim(), 1e-9);
        assertEquals(e.psnrY(), m.psnrY(), 1e-9);
        assertEquals(e.ssimY(), m.ssimY(), 1e-9);
        assertEquals(crop, m.cropBorder());
    }

    @ParameterizedTest(name = "crop {0}")
    @ValueSource(ints = {0, 3, 6})
    void theBaselineIsMeasuredWithTheCropOfTheModelsMetrics(int crop) {
        PlanarImage lq = random(3, 20, 23, 11);
        PlanarImage ref = noisy(Quantizer.quantize(MatlabImresize.resize(lq, 3, SampleType.UINT8), 8), 9, 5);
        // an output that is exactly the bicubic baseline must score exactly as the baseline
        PlanarImage bicubic = Quantizer.quantize(MatlabImresize.resize(lq, 3, SampleType.UINT8), 8);
        ImageMetrics m = ImageMetrics.measure(DecodedImage.of(ref, 8, "png"), DecodedImage.of(lq, 8, "png"), bicubic, 3, crop);
        assertEquals(m.psnrY(), m.baselinePsnrY(), 0);
        assertEquals(m.ssimY(), m.baselineSsimY(), 0);
    }

    @Test
    void aReferenceSmallerThanTheOutputIsRefused() {
        PlanarImage small = random(3, 10, 10, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.measure(DecodedImage.of(small, 8, "png"), DecodedImage.of(small, 8, "png"), random(3, 20, 20, 2), 2, 2));
        assertEquals("reference 10x10 is smaller than the output 20x20", e.getMessage());
    }

    private static float[] concat(PlanarImage... planes) {
        int n = planes[0].data().length;
        float[] d = new float[n * planes.length];
        for (int i = 0; i < planes.length; i++) System.arraycopy(planes[i].data(), 0, d, i * n, n);
        return d;
    }
}
