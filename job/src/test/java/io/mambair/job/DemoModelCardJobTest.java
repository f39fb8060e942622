package io.mambair.job;

import io.mambair.runtime.testing.ModelCard;
import io.mambair.runtime.testing.SharedData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job, in benchmark mode with the light_sr_x2 preset (official tiling, MATLAB LR files, Y, crop 2),
 * reproduces every Set5 x2 number of the bundled demo model's card, and its gain over bicubic.
 */
class DemoModelCardJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = JobTestSupport.localSpark(); }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    @Test
    void benchmarkRunOnSet5X2ReproducesTheModelCard(@TempDir Path out) throws Exception {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        Map<String, double[]> card = ModelCard.set5X2Results();
        List<String> overrides = new ArrayList<>(List.of(
                "model.path=\"" + ModelCard.repositoryFile(ModelCard.CHECKPOINT) + "\"",
                "input.path=\"" + set5.resolve("LR_bicubic/X2") + "\"",
                "benchmark.reference-path=\"" + set5.resolve("HR") + "\"",
                "output.path=\"" + out + "\"", "run-id=demo-card", "dataset=Set5"));
        RunSummary run = MambairJob.run(spark, new JobOptions(null, "light_sr_x2", overrides));
        assertEquals(5, run.counts().ok(), run.text());

        List<Row> rows = spark.read().parquet(run.imagesTable()).collectAsList();
        assertEquals(5, rows.size());
        for (Row r : rows) {
            assertEquals("official", r.getAs("tile_mode"));
            String stem = r.<String>getAs("image_id").replace("x2.png", "");
            double[] stated = card.get(stem);
            assertNotNull(stated, "no card row for " + stem);
            assertEquals(stated[0], r.<Double>getAs("psnr_y"), 1e-3, stem + " Y-PSNR");
            assertEquals(stated[1], r.<Double>getAs("ssim_y"), 1e-4, stem + " Y-SSIM");
        }
        Row summary = spark.read().parquet(run.summaryTable()).filter("run_id = 'demo-card'").first();
        double meanPsnr = summary.getAs("mean_psnr_y");
        assertEquals(card.get("mean")[0], meanPsnr, 1e-3, "mean Y-PSNR");
        assertEquals(card.get("mean")[1], summary.<Double>getAs("mean_ssim_y"), 1e-4, "mean Y-SSIM");
        assertTrue(meanPsnr - summary.<Double>getAs("mean_baseline_psnr_y") >= 1.0, "gain over bicubic under 1 dB");
    }
}
