package io.mambair.udfs.demo;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.testing.ModelCard;
import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.codec.Quantizer;
import io.mambair.udfs.metrics.BicubicBaseline;
import io.mambair.udfs.metrics.MetricOptions;
import io.mambair.udfs.metrics.Psnr;
import io.mambair.udfs.metrics.Quality;
import io.mambair.udfs.metrics.Ssim;
import io.mambair.udfs.resize.Crop;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled demo model (models/mambair_demo_light_x2.pth) reproduces the Set5 x2 numbers of
 * models/MODEL_CARD.md (every row of its results table, PSNR to 1e-3 dB, SSIM to 1e-4) when loaded
 * the way users' official checkpoints are (checkpoint -> inferred architecture -> ONNX Runtime on
 * CPU, official tiling), scored in the BasicSR convention (output
 * clamped and rounded to 8 bits, Y channel, crop 2, GT cropped to LR x 2) on the MATLAB LR files,
 * and beats the bicubic baseline (measured here with the verified MATLAB bicubic) by at least 1 dB.
 */
class DemoModelSet5Test {
    static final int SCALE = 2;

    @Test
    void demoModelReproducesItsModelCardOnSet5X2() throws IOException {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        Map<String, double[]> card = ModelCard.set5X2Results();
        ResolvedModel model = ResolvedModel.resolve(ModelCard.repositoryFile(ModelCard.CHECKPOINT));
        assertEquals(SCALE, model.scale(), "demo model scale");
        Restorer restorer = SharedRuntime.get(model, Device.cpu());
        MetricOptions metrics = MetricOptions.basicsr(SCALE, true);

        List<Path> hrFiles;
        try (Stream<Path> s = Files.list(set5.resolve("HR"))) {
            hrFiles = s.sorted().toList();
        }
        assertEquals(5, hrFiles.size(), "Set5 HR images");
        double psnrSum = 0;
        double ssimSum = 0;
        double bicubicSum = 0;
        for (Path hrFile : hrFiles) {
            String stem = hrFile.getFileName().toString().replace(".png", "");
            PlanarImage hr = ImageFiles.read(hrFile, 1 << 24).color();
            PlanarImage lr = ImageFiles.read(set5.resolve("LR_bicubic/X" + SCALE + "/" + stem + "x" + SCALE + ".png"), 1 << 24).color();
            PlanarImage sr = Quantizer.quantize(restorer.restore(lr, RestoreOptions.defaults()), 8);
            assertEquals(lr.height() * SCALE, sr.height(), stem + " output height");
            assertEquals(lr.width() * SCALE, sr.width(), stem + " output width");
            PlanarImage gt = Crop.topLeft(hr, sr.height(), sr.width());
            double psnr = Psnr.of(gt, sr, metrics);
            double ssim = Ssim.of(gt, sr, metrics);
            Quality bicubic = BicubicBaseline.measure(hr, lr, 8, SCALE, true, 8);
            System.out.printf("%s: model Y-PSNR %.4f SSIM %.6f, bicubic %.4f%n", stem, psnr, ssim, bicubic.psnr());
            assertCardRow(card, stem, psnr, ssim);
            psnrSum += psnr;
            ssimSum += ssim;
            bicubicSum += bicubic.psnr();
        }
        double psnr = psnrSum / hrFiles.size();
        double ssim = ssimSum / hrFiles.size();
        double bicubic = bicubicSum / hrFiles.size();
        System.out.printf("Set5 x2 mean: model Y-PSNR %.4f SSIM %.6f, bicubic Y-PSNR %.4f%n", psnr, ssim, bicubic);

        assertCardRow(card, "mean", psnr, ssim);
        assertTrue(psnr - bicubic >= 1.0, "gain over bicubic " + (psnr - bicubic) + " dB is under 1.0 dB");
    }

    private static void assertCardRow(Map<String, double[]> card, String row, double psnr, double ssim) {
        double[] stated = card.get(row);
        assertNotNull(stated, "MODEL_CARD.md has no results row for " + row);
        assertEquals(stated[0], psnr, 1e-3, row + ": Y-PSNR stated in MODEL_CARD.md");
        assertEquals(stated[1], ssim, 1e-4, row + ": Y-SSIM stated in MODEL_CARD.md");
    }
}
