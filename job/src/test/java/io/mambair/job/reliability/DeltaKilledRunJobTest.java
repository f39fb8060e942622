package io.mambair.job.reliability;

import io.delta.tables.DeltaTable;
import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.output.ImageRow;
import io.mambair.job.output.ImagesTable;
import io.mambair.runtime.testing.Slow;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A driver SIGKILLed in the middle of a run into Delta tables: the tables still read back, holding exactly the
 * earlier run's rows and commits; the same command run again completes them, one current ok row per image. The killed
 * driver is the job's main class as spark-submit starts it: it configures Delta's session extension itself.
 */
@Slow
class DeltaKilledRunJobTest {
    private static final int IMAGES = 6;
    private static final String CLASSPATH = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

    private static List<String> options(Path in, Path out, Path markers, boolean stall, String runId) {
        List<String> o = new ArrayList<>(List.of("model.path=\"" + JobTestSupport.srModel(4) + "\"", "output.path=\"" + out + "\"",
                "restore.tile-mode=whole", "restore.device=cpu", "partitions=3", "output.table-format=delta", "run-id=" + runId,
                "input.path=\"" + FaultInjectingFileSystem.uri(in) + "\""));
        FaultInjectingFileSystem.registration().forEach((k, v) -> o.add("hadoop.\"" + k + "\"=\"" + v + "\""));
        if (stall) {
            o.addAll(List.of("hadoop.\"faulty.on-restore-read\"=img4.png", "hadoop.\"faulty.action\"=stall",
                    "hadoop.\"faulty.marker-dir\"=\"" + markers + "\""));
        }
        return o;
    }

    private static SparkSession deltaSpark() {
        SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("mambair-delta-kill").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").config("spark.driver.host", "127.0.0.1");
        io.mambair.job.output.DeltaTables.SESSION_CONF.forEach(b::config);
        return b.getOrCreate();
    }

    @Test
    void aDriverKilledMidRunLeavesTheDeltaTablesReadableWithTheEarlierRunOnly(@TempDir Path in, @TempDir Path out, @TempDir Path markers)
            throws Exception {
        for (int i = 0; i < IMAGES; i++) Files.write(in.resolve("img" + i + ".png"), TestImages.encode(TestImages.rgb(24, 24, i), "png"));
        SparkSession spark = deltaSpark();
        String images;
        try {
            RunSummary first = MambairJob.run(spark, JobTestSupport.options(options(in, out, markers, false, "first").toArray(String[]::new)));
            assertEquals(IMAGES, first.counts().ok(), first.text());
            images = first.imagesTable();
        } finally {
            spark.stop();
        }

        // The same run again, as a nightly pipeline would (output.mode = overwrite redoes all), killed while it restores.
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        command.addAll(Arrays.stream(System.getProperty("mambair.test.jvm.args", "").split("\\s+")).filter(s -> !s.isBlank()).toList());
        command.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1", "-cp", CLASSPATH,
                MambairJob.class.getName()));
        for (String o : options(in, out, markers, true, "second")) command.addAll(List.of("--set", o));
        command.addAll(List.of("--set", "output.mode=overwrite"));
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(markers.resolve("driver.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.exists(markers.resolve("fired"))) {
                assertTrue(driver.isAlive(), "driver exited early; see " + markers.resolve("driver.log"));
                assertTrue(System.nanoTime() < deadline, "the run never reached img4.png");
                Thread.sleep(200);
            }
        } finally {
            driver.destroyForcibly();
            driver.waitFor();
        }

        spark = deltaSpark();
        try {
            List<Row> afterKill = spark.read().format("delta").load(images).collectAsList();
            assertEquals(Map.of("first", (long) IMAGES), afterKill.stream().collect(Collectors.groupingBy(r -> r.<String>getAs("run_id"), Collectors.counting())),
                    "the killed run added nothing to the table");
            assertEquals(1, DeltaTable.forPath(spark, images).history().count(), "no commit of the killed run");

            RunSummary again = MambairJob.run(spark, JobTestSupport.options(options(in, out, markers, false, "second").toArray(String[]::new)));
            assertEquals(IMAGES, again.counts().inputs(), again.text());
            spark.read().format("delta").load(images).createOrReplaceTempView("images");
            List<Row> current = spark.sql(ImagesTable.NEWEST_PER_IMAGE_SQL).collectAsList();
            assertEquals(IMAGES, current.size());
            for (Row r : current) assertEquals(ImageRow.OK, r.getAs("status"), r.toString());
        } finally {
            spark.stop();
        }
    }
}
