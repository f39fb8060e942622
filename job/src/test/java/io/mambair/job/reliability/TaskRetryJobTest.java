package io.mambair.job.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.output.ImageRow;
import io.mambair.job.output.ImagesTable;
import io.mambair.job.output.TableWriter;
import io.mambair.udfs.codec.ImageDecoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task attempt that fails after finishing some images (an injected storage failure on img3.png)
 * is retried by Spark (local[2,3]): the failed attempt's rows stay in its own row files, the table
 * holds only the successful attempt's rows, exactly one per image, and every output is whole.
 */
class TaskRetryJobTest {
    private static final int IMAGES = 6;

    @Test
    void aRetriedTaskAttemptLeavesExactlyOneRowPerImageAndWholeOutputs(@TempDir Path in, @TempDir Path out, @TempDir Path markers)
            throws Exception {
        for (int i = 0; i < IMAGES; i++) Files.write(in.resolve("img" + i + ".png"), TestImages.encode(TestImages.rgb(24, 24, i), "png"));
        List<String> o = new ArrayList<>(List.of("model.path=\"" + JobTestSupport.srModel(4) + "\"", "output.path=\"" + out + "\"",
                "input.path=\"" + FaultInjectingFileSystem.uri(in) + "\"", "restore.tile-mode=whole", "restore.device=cpu",
                "partitions=1", "run-id=retried", "hadoop.\"faulty.on-restore-read\"=img3.png", "hadoop.\"faulty.action\"=fail-task",
                "hadoop.\"faulty.marker-dir\"=\"" + markers + "\""));
        FaultInjectingFileSystem.registration().forEach((k, v) -> o.add("hadoop.\"" + k + "\"=\"" + v + "\""));
        SparkSession spark = SparkSession.builder().master("local[2,3]").appName("mambair-retry").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            RunSummary run = MambairJob.run(spark, JobTestSupport.options(o.toArray(String[]::new)));
            assertTrue(Files.exists(markers.resolve("fired")), "the first attempt failed on img3.png");
            assertEquals(IMAGES, run.counts().ok(), run.text());

            // The failed attempt recorded some of the images before img3.png (how many depends on the pipeline's read-ahead),
            // never img3.png itself; the retry recorded all six again.
            Map<String, Set<String>> imagesByAttempt = new HashMap<>();
            try (Stream<Path> files = Files.list(out.resolve("_mambair/rows/retried"))) {
                for (Path p : files.toList()) {
                    String attempt = p.getFileName().toString().replaceAll("^part-\\d+-attempt-(\\d+)-\\d+\\.jsonl$", "$1");
                    for (String line : Files.readAllLines(p)) {
                        imagesByAttempt.computeIfAbsent(attempt, k -> new HashSet<>())
                                .add(new ObjectMapper().readTree(line).get("image_id").asText());
                    }
                }
            }
            assertEquals(2, imagesByAttempt.size(), "two attempts wrote rows: " + imagesByAttempt);
            assertTrue(imagesByAttempt.values().stream().anyMatch(s -> !s.isEmpty() && s.size() < IMAGES && !s.contains("img3.png")),
                    "the failed attempt's rows stayed in its own files: " + imagesByAttempt);

            List<Row> table = ImagesTable.read(spark, run.imagesTable()).collectAsList();
            assertEquals(IMAGES, table.size(), "only the successful attempt's rows are committed");
            assertEquals(IMAGES, table.stream().map(r -> r.<String>getAs("image_id")).distinct().count());
            for (Row r : table) {
                assertEquals(ImageRow.OK, r.getAs("status"));
                Path written = out.resolve(r.<String>getAs("image_id"));
                assertEquals(96, ImageDecoder.decode(Files.readAllBytes(written), written.toString(), Long.MAX_VALUE).width());
            }
            assertEquals(List.of(ImagesTable.SCHEMA.fieldNames()), List.of(spark.read().parquet(run.imagesTable()).columns()),
                    "the images table as any reader sees it has the declared columns in order");
            assertEquals(TableWriter.SUMMARY_COLUMNS, List.of(spark.read().parquet(run.summaryTable()).columns()));
            Row summary = spark.read().parquet(run.summaryTable()).first();
            assertEquals(List.of((long) IMAGES, (long) IMAGES, 0L), List.of(((Number) summary.getAs("images_in_table")).longValue(),
                    ((Number) summary.getAs("ok")).longValue(), ((Number) summary.getAs("error")).longValue()));
        } finally {
            spark.stop();
        }
    }
}
