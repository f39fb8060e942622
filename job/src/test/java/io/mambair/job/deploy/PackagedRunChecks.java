package io.mambair.job.deploy;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks of what a finished x2 enhance run left behind: one restored image per input at twice its size, and the tables. */
final class PackagedRunChecks {
    private PackagedRunChecks() {}

    /** Asserts every input image under {@code in} has an output at twice its size under {@code out}, and the tables say so. */
    static void assertRestoredX2(Path in, Path out, String runId, int expected) throws Exception {
        List<Path> inputs;
        try (Stream<Path> files = Files.list(in)) {
            inputs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertEquals(expected, inputs.size());
        for (Path input : inputs) {
            BufferedImage lr = ImageIO.read(input.toFile());
            Path output = out.resolve(input.getFileName());
            assertTrue(Files.isRegularFile(output), "restored " + output);
            BufferedImage sr = ImageIO.read(output.toFile());
            assertNotNull(sr, output + " is a readable PNG");
            assertEquals(2 * lr.getWidth(), sr.getWidth(), output.toString());
            assertEquals(2 * lr.getHeight(), sr.getHeight(), output.toString());
        }
        SparkSession spark = SparkSession.builder().master("local[1]").appName("mambair-check")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            List<Row> rows = spark.read().parquet(out.resolve("_mambair/images").toString()).collectAsList();
            assertEquals(expected, rows.size());
            for (Row r : rows) {
                assertEquals("ok", r.getAs("status"), r.toString());
                assertEquals(runId, r.getAs("run_id"));
                assertEquals(2, r.<Integer>getAs("scale"));
                assertTrue(Files.isRegularFile(Path.of(new org.apache.hadoop.fs.Path(r.<String>getAs("output_uri")).toUri().getPath())), r.toString());
            }
            Row summary = spark.read().parquet(out.resolve("_mambair/summary/run_id=" + runId).toString()).collectAsList().get(0);
            assertEquals((long) expected, summary.<Long>getAs("inputs"));
            assertEquals((long) expected, summary.<Long>getAs("ok"));
        } finally {
            spark.stop();
        }
    }
}
