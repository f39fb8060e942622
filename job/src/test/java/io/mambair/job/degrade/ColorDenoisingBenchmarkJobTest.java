package io.mambair.job.degrade;

import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.testing.DebianNumpy;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.Slow;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A local[2] colour-denoising benchmark run with synthesised inputs: the PSNR-Y of each degraded input
 * (the row's baseline) equals the BasicSR PSNR-Y that NumPy computes for the official noisy input
 * ({@code np.random.seed(0)}, {@code normal(0, 25/255, HWC)} in BGR) of the same reference.
 */
@Slow
class ColorDenoisingBenchmarkJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = JobTestSupport.localSpark(); }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    @Test
    void synthesisedNoisyInputsAreTheOfficialOnes(@TempDir Path tmp) throws Exception {
        Path refs = Files.createDirectories(tmp.resolve("refs"));
        // crops of real references (written by OpenCV), then the official degradation and BasicSR's PSNR-Y of its 8-bit tensor2img
        String out = DebianNumpy.run("""
                import sys, cv2, numpy as np
                refs = sys.argv[1]
                for path in sys.argv[2:]:
                    name = path.rsplit('/', 1)[-1].rsplit('.', 1)[0] + '.png'
                    crop = cv2.imread(path, cv2.IMREAD_COLOR)[100:140, 60:108]
                    cv2.imwrite(refs + '/' + name, crop)
                    gt = cv2.imread(refs + '/' + name, cv2.IMREAD_COLOR).astype(np.float32) / 255.
                    np.random.seed(seed=0)
                    lq = (gt + np.random.normal(0, 25 / 255., gt.shape)).astype(np.float32)
                    lq8 = np.round(np.clip(lq, 0, 1) * 255.).astype(np.float64)
                    gt8 = (gt * 255.).round().astype(np.float64)
                    y = lambda bgr: bgr @ np.array([24.966, 128.553, 65.481]) / 255. + 16.
                    mse = np.mean((y(lq8) - y(gt8)) ** 2)
                    print(name, repr(10. * np.log10(255. * 255. / mse)))
                """, refs.toString(), SharedData.require("data/benchmarks/Kodak24/kodim01.png").toString(),
                SharedData.require("data/benchmarks/McMaster/1.tif").toString(), SharedData.require("data/benchmarks/CBSD68/101085.png").toString());
        Map<String, Double> official = new HashMap<>();
        for (String line : out.strip().split("\n")) official.put(line.split(" ")[0], Double.parseDouble(line.split(" ")[1]));

        RunSummary run = MambairJob.run(spark, JobTestSupport.options(
                "mode=benchmark", "model.path=\"" + SharedData.fixture("color_dn").resolve("model.pth") + "\"",
                "model.task=color_dn", "input.path=\"" + refs + "\"", "output.path=\"" + tmp.resolve("out") + "\"",
                "benchmark.lq-source=synthesize", "benchmark.crop-border=0", "benchmark.degradation.kind=noise",
                "benchmark.degradation.noise-sigma=25", "benchmark.degradation.noise-seed=0",
                "restore.tile-mode=whole", "run-id=dn25", "dataset=CDN"));
        assertEquals(3, run.counts().ok(), run.text());
        List<Row> rows = spark.read().parquet(run.imagesTable()).collectAsList();
        assertEquals(3, rows.size());
        for (Row r : rows) {
            String id = r.getAs("image_id");
            assertEquals(ImageRow.OK, r.getAs("status"));
            assertEquals(0, r.<Integer>getAs("crop_border"));
            assertEquals(official.get(id), r.<Double>getAs("baseline_psnr_y"), 1e-4, id + ": PSNR-Y of the synthesised input");
        }
    }
}
