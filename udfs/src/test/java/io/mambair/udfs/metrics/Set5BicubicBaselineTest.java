package io.mambair.udfs.metrics;

import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Set5 bicubic baseline in the BasicSR convention (MATLAB LR files upscaled with MATLAB bicubic,
 * Y channel, crop = scale, mean of per-image values) against the values independently verified for
 * this project (metrics-protocol.md, "Verified on this project's data").
 */
class Set5BicubicBaselineTest {

    @ParameterizedTest
    @CsvSource({"2, true, 33.6734, 0.930287", "3, true, 30.4033, 0.868906", "4, true, 28.4290, 0.811135",
            "2, false, 31.7866, 0.908633", "4, false, 26.6921, 0.773087"})
    void meanPsnrAndSsimMatchTheVerifiedBaseline(int scale, boolean yChannel, double psnr, double ssim) throws IOException {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        List<Path> hrFiles;
        try (Stream<Path> s = Files.list(set5.resolve("HR"))) {
            hrFiles = s.sorted().toList();
        }
        double psnrSum = 0;
        double ssimSum = 0;
        for (Path hrFile : hrFiles) {
            String stem = hrFile.getFileName().toString().replace(".png", "");
            DecodedImage hr = ImageFiles.read(hrFile, 1 << 24);
            DecodedImage lr = ImageFiles.read(set5.resolve("LR_bicubic/X" + scale + "/" + stem + "x" + scale + ".png"), 1 << 24);
            Quality q = BicubicBaseline.measure(hr.color(), lr.color(), lr.bitDepth(), scale, yChannel, 8);
            psnrSum += q.psnr();
            ssimSum += q.ssim();
        }
        assertEquals(psnr, psnrSum / hrFiles.size(), 1e-3, "mean PSNR x" + scale + (yChannel ? " Y" : " RGB"));
        assertEquals(ssim, ssimSum / hrFiles.size(), 1e-5, "mean SSIM x" + scale + (yChannel ? " Y" : " RGB"));
    }
}
