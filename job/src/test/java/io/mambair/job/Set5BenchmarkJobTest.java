package io.mambair.job;

import io.mambair.job.output.ImageRow;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;
import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.Quantizer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * local[2] benchmark runs over Set5 with the real MATLAB LR files: the bicubic baseline means must be
 * the BasicSR-convention values computed independently (metrics-protocol.md), and every restored
 * image must equal what the runtime gives for the same image and settings.
 */
class Set5BenchmarkJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = JobTestSupport.localSpark(); }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    @ParameterizedTest(name = "Set5 x{0}")
    @CsvSource({"2, 33.6734, 0.93029", "3, 30.4033, 0.86891", "4, 28.4290, 0.81114"})
    void benchmarkRowsCarryTheBasicsrBicubicBaselineAndTheRuntimesOutput(int scale, double psnrY, double ssimY, @TempDir Path out) throws Exception {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        Path model = JobTestSupport.srModel(scale);
        RunSummary run = MambairJob.run(spark, JobTestSupport.options(
                "mode=benchmark", "model.path=\"" + model + "\"",
                "input.path=\"" + set5.resolve("LR_bicubic/X" + scale) + "\"",
                "benchmark.reference-path=\"" + set5.resolve("HR") + "\"",
                "output.path=\"" + out + "\"", "restore.tile-mode=whole", "run-id=set5x" + scale, "dataset=Set5"));

        assertEquals(5, run.counts().inputs());
        assertEquals(5, run.counts().ok(), run.text());
        List<Row> rows = spark.read().parquet(run.imagesTable()).collectAsList();
        assertEquals(5, rows.size());
        double meanPsnr = rows.stream().mapToDouble(r -> r.<Double>getAs("baseline_psnr_y")).average().orElseThrow();
        double meanSsim = rows.stream().mapToDouble(r -> r.<Double>getAs("baseline_ssim_y")).average().orElseThrow();
        assertEquals(psnrY, meanPsnr, 5e-5, "mean bicubic Y-PSNR x" + scale);
        assertEquals(ssimY, meanSsim, 5e-6, "mean bicubic Y-SSIM x" + scale);

        Row summary = spark.read().parquet(run.summaryTable()).filter("run_id = 'set5x" + scale + "'").first();
        assertEquals(psnrY, summary.<Double>getAs("mean_baseline_psnr_y"), 5e-5);
        assertEquals(5L, summary.<Long>getAs("inputs"));

        ResolvedModel resolved = ResolvedModel.resolve(model);
        RestoreOptions options = new RestoreOptions(TileMode.WHOLE, 64, 16, 1, false);
        for (Row r : rows) {
            assertEquals(ImageRow.OK, r.getAs("status"));
            assertEquals(scale, r.<Integer>getAs("scale"));
            assertEquals(scale, r.<Integer>getAs("crop_border"));
            assertEquals("Set5", r.getAs("dataset"));
            assertEquals(resolved.sha256(), r.getAs("model_sha256"));
            String id = r.getAs("image_id");
            Path lr = set5.resolve("LR_bicubic/X" + scale).resolve(id);
            PlanarImage expected = Quantizer.quantize(SharedRuntime.get(resolved, Device.cpu())
                    .restore(ImageDecoder.decode(Files.readAllBytes(lr), id, Long.MAX_VALUE).color(), options), 8);
            Path written = out.resolve(id);
            assertTrue(Files.exists(written), written.toString());
            PlanarImage actual = ImageDecoder.decode(Files.readAllBytes(written), id, Long.MAX_VALUE).color();
            assertEquals(expected.width(), actual.width());
            assertEquals(r.<Integer>getAs("out_width"), actual.width());
            assertArrayEquals(expected.data(), actual.data(), 0f, id);
        }
    }
}
