package io.mambair.job.reliability;

import io.mambair.job.JobConfiguration;
import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.config.InvalidConfigException;
import io.mambair.job.execute.TaskReport;
import io.mambair.job.output.ImageRow;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-image pixel bound ({@code input.max-pixels}) and the per-executor bound on model-batch
 * pixels in flight ({@code restore.max-pixels-in-flight}) are enforced: an image over either is an
 * error row, never an out-of-memory, and concurrent tasks never hold more than the bound.
 */
class ResourceBoundsJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = JobTestSupport.localSpark(); }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    private static Map<String, Row> rows(RunSummary run) {
        return spark.read().parquet(run.imagesTable()).collectAsList().stream().collect(Collectors.toMap(r -> r.<String>getAs("image_id"), r -> r));
    }

    @Test
    void anImageOverTheMaxPixelCountIsAnErrorRow(@TempDir Path in, @TempDir Path out) throws Exception {
        Files.write(in.resolve("small.png"), TestImages.encode(TestImages.rgb(30, 30, 1), "png"));
        Files.write(in.resolve("large.png"), TestImages.encode(TestImages.rgb(40, 40, 2), "png"));
        RunSummary run = MambairJob.run(spark, JobTestSupport.options("model.path=\"" + JobTestSupport.srModel(4) + "\"",
                "input.path=\"" + in + "\"", "output.path=\"" + out + "\"", "restore.tile-mode=whole", "restore.device=cpu",
                "input.max-pixels=1000"));
        Map<String, Row> rows = rows(run);
        assertEquals(ImageRow.OK, rows.get("small.png").getAs("status"));
        Row large = rows.get("large.png");
        assertEquals("ImageTooLargeException", large.getAs("error_class"));
        assertTrue(large.<String>getAs("error_message").contains("40x40 exceeds input.max-pixels = 1000"), large.<String>getAs("error_message"));
        assertFalse(Files.exists(out.resolve("large.png")));
    }

    @Test
    void modelBatchesOverTheInFlightBoundAreErrorRowsAndTasksShareTheBound(@TempDir Path in, @TempDir Path out) throws Exception {
        for (int i = 0; i < 4; i++) Files.write(in.resolve("fits" + i + ".png"), TestImages.encode(TestImages.rgb(32, 32, i), "png"));
        Files.write(in.resolve("too-big.png"), TestImages.encode(TestImages.rgb(40, 40, 9), "png"));
        RunSummary run = MambairJob.run(spark, JobTestSupport.options("model.path=\"" + JobTestSupport.srModel(4) + "\"",
                "input.path=\"" + in + "\"", "output.path=\"" + out + "\"", "restore.tile-mode=whole", "restore.device=cpu",
                "restore.max-pixels-in-flight=1024", "partitions=2"));
        Map<String, Row> rows = rows(run);
        assertEquals(4, run.counts().ok(), run.text());
        Row big = rows.get("too-big.png");
        assertEquals("ResourceLimitException", big.getAs("error_class"));
        assertTrue(big.<String>getAs("error_message").contains("a model batch of 1600 pixels (40x40, tile-mode whole) exceeds restore.max-pixels-in-flight = 1024"),
                big.<String>getAs("error_message"));
        assertFalse(Files.exists(out.resolve("too-big.png")));
        assertEquals(2, run.reports().size(), "two partitions, run at once by local[2]");
        long peak = run.reports().stream().mapToLong(TaskReport::peakPixelsInFlight).max().orElseThrow();
        assertEquals(1024, peak, "one 32x32 batch at a time although two tasks ran: " + run.reports());
    }

    @Test
    void anImageTooLargeForTheWholeMemoryBudgetIsAnErrorRowAtPlanning(@TempDir Path in, @TempDir Path out) throws Exception {
        Files.write(in.resolve("small.png"), TestImages.encode(TestImages.rgb(30, 30, 1), "png"));
        // a valid header, then no pixel data: an image that were decoded would fail as undecodable, not as too large
        byte[] large = TestImages.encode(TestImages.rgb(400, 300, 2), "png");
        Files.write(in.resolve("large.png"), java.util.Arrays.copyOf(large, 64));
        RunSummary run = MambairJob.run(spark, JobTestSupport.options("model.path=\"" + JobTestSupport.srModel(4) + "\"",
                "input.path=\"" + in + "\"", "output.path=\"" + out + "\"", "restore.tile-mode=blend", "restore.device=cpu",
                "restore.memory-budget=4m"));
        Map<String, Row> rows = rows(run);
        assertEquals(ImageRow.OK, rows.get("small.png").getAs("status"));
        Row big = rows.get("large.png");
        assertEquals("ResourceLimitException", big.getAs("error_class"));
        String message = big.getAs("error_message");
        // x4 output 1600x1200 RGB: at least one float32 copy (23 MiB) needed, against a 4 MiB budget
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("large.png \\(400x300\\) needs (\\d+) MiB of heap from decode to write, "
                + "more than restore.memory-budget = 4 MiB").matcher(message);
        assertTrue(m.find(), message);
        assertTrue(Long.parseLong(m.group(1)) >= 1600L * 1200 * 3 * 4 >> 20, message);
        assertFalse(Files.exists(out.resolve("large.png")));
    }

    @Test
    void aBlendBatchThatCanNeverFitIsRefusedAtStart() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> JobConfiguration.load(JobTestSupport.options(
                "model.path=m", "input.path=i", "output.path=o", "restore.tile-mode=blend", "restore.tile=64", "restore.batch-size=4",
                "restore.max-pixels-in-flight=10000"), Map.of(), new org.apache.hadoop.conf.Configuration()));
        assertTrue(e.getMessage().contains("restore.batch-size x restore.tile^2 = 4 x 64^2 = 16384 pixels exceeds restore.max-pixels-in-flight = 10000"),
                e.getMessage());
        assertThrows(InvalidConfigException.class, () -> JobConfiguration.load(JobTestSupport.options(
                "model.path=m", "input.path=i", "output.path=o", "restore.max-pixels-in-flight=0"), Map.of(), new org.apache.hadoop.conf.Configuration()));
    }
}
