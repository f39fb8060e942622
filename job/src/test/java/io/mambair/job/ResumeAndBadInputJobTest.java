package io.mambair.job;

import io.mambair.job.output.ImageRow;
import io.mambair.job.output.ImagesTable;
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
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad inputs become error rows without failing the job; a rerun after an interrupted run only does what is missing. */
@Slow
class ResumeAndBadInputJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = JobTestSupport.localSpark(); }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    private static RunSummary run(Path in, Path out, String runId) throws Exception {
        return MambairJob.run(spark, JobTestSupport.options("model.path=\"" + JobTestSupport.srModel(4) + "\"",
                "input.path=\"" + in + "\"", "output.path=\"" + out + "\"", "restore.tile-mode=whole", "restore.device=cpu",
                "run-id=" + runId));
    }

    private static Map<String, Row> rowsById(RunSummary run) {
        return spark.read().parquet(run.imagesTable()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<String>getAs("image_id"), r -> r));
    }

    @Test
    void corruptEmptyAndNonImageFilesBecomeErrorRowsWithoutPartialOutputs(@TempDir Path in, @TempDir Path out) throws Exception {
        Path lr = SharedData.require("data/benchmarks/Set5/LR_bicubic/X4");
        Files.copy(lr.resolve("birdx4.png"), in.resolve("good.png"));
        Files.createDirectories(in.resolve("sub"));
        Files.copy(lr.resolve("headx4.png"), in.resolve("sub/good2.png"));
        byte[] png = Files.readAllBytes(lr.resolve("babyx4.png"));
        Files.write(in.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 3));
        Files.write(in.resolve("empty.png"), new byte[0]);
        Files.writeString(in.resolve("notes.jpg"), "this is not an image");
        Files.writeString(in.resolve("readme.txt"), "ignored by the glob");

        RunSummary run = run(in, out, "bad");
        assertEquals(5, run.counts().inputs(), run.text());
        assertEquals(2, run.counts().ok());
        assertEquals(3, run.counts().error());
        Map<String, Row> rows = rowsById(run);
        assertEquals(5, rows.size());
        assertEquals(ImageRow.OK, rows.get("sub/good2.png").getAs("status"));
        assertEquals("EmptyFile", rows.get("empty.png").getAs("error_class"));
        for (String bad : List.of("truncated.png", "empty.png", "notes.jpg")) {
            Row r = rows.get(bad);
            assertEquals(ImageRow.ERROR, r.getAs("status"), bad);
            assertTrue(r.<String>getAs("error_message") != null && !r.<String>getAs("error_message").isBlank(), bad);
            assertFalse(Files.exists(out.resolve(bad.replaceAll("\\.\\w+$", ".png"))), "no output for " + bad);
        }
        assertTrue(Files.exists(out.resolve("sub/good2.png")));
        try (Stream<Path> all = Files.walk(out)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().contains(".tmp-")).toList(), "no temporary files left");
        }
        assertTrue(Files.exists(in.resolve("truncated.png")) && Files.size(in.resolve("empty.png")) == 0, "inputs untouched");
    }

    @Test
    void rerunAfterAnInterruptedRunDoesOnlyWhatIsMissingAndKeepsOneRowPerImage(@TempDir Path in, @TempDir Path out) throws Exception {
        Path lr = SharedData.require("data/benchmarks/Set5/LR_bicubic/X4");
        try (Stream<Path> files = Files.list(lr)) {
            for (Path p : files.toList()) Files.copy(p, in.resolve(p.getFileName()));
        }
        RunSummary first = run(in, out, "first");
        assertEquals(5, first.counts().ok(), first.text());

        // Simulate a run killed midway: two images never finished (no row, no output), one was killed
        // between its output commit and its row, and a temporary file of an unfinished write was left behind.
        Set<String> unrecorded = Set.of("babyx4.png", "birdx4.png", "headx4.png");
        try (Stream<Path> files = Files.list(out.resolve("_mambair/rows/first"))) {
            for (Path p : files.toList()) {
                List<String> kept = Files.readAllLines(p).stream().filter(line -> unrecorded.stream()
                        .noneMatch(id -> line.contains("\"image_id\":\"" + id + "\""))).toList();
                Files.write(p, kept);
            }
        }
        for (String id : List.of("babyx4.png", "birdx4.png")) Files.delete(out.resolve(id));
        Files.write(out.resolve(".womanx4.png.tmp-deadbeef"), new byte[] {1, 2, 3});
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (String id : List.of("butterflyx4.png", "womanx4.png", "headx4.png")) Files.setLastModifiedTime(out.resolve(id), old);

        RunSummary second = run(in, out, "second");
        assertEquals(5, second.counts().inputs(), second.text());
        assertEquals(3, second.counts().ok(), "baby, bird and head redone");
        assertEquals(2, second.counts().skipped(), "butterfly and woman were finished");
        ImagesTable.read(spark, second.imagesTable()).createOrReplaceTempView("images");
        Map<String, Row> table = spark.sql(ImagesTable.NEWEST_PER_IMAGE_SQL).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<String>getAs("image_id"), r -> r));
        assertEquals(5, table.size(), "exactly one current row per image");
        assertEquals(3, ImagesTable.read(spark, second.imagesTable()).filter("run_id = 'second'").count(), "the rerun's own rows");
        assertEquals("first", table.get("butterflyx4.png").getAs("run_id"));
        assertEquals("second", table.get("babyx4.png").getAs("run_id"));
        assertEquals(old, Files.getLastModifiedTime(out.resolve("womanx4.png")), "finished image not recomputed");
        assertFalse(old.equals(Files.getLastModifiedTime(out.resolve("headx4.png"))), "image without a row is redone");
        for (Row r : table.values()) assertEquals(ImageRow.OK, r.getAs("status"));
        assertEquals(2, spark.read().parquet(second.summaryTable()).count(), "one summary row per run");
    }
}
