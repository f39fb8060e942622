package io.mambair.job.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.output.AtomicFiles;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import io.mambair.udfs.codec.ImageDecoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Killed processes: an executor JVM of local-cluster[2,1,1024] killed with SIGKILL while restoring,
 * and the driver JVM killed while the job runs. Neither leaves a duplicate row or a partial output;
 * the first run still completes, the second completes on a rerun that redoes only unfinished images.
 */
@Slow
class ProcessKillJobTest {
    private static final int IMAGES = 8;
    private static final String CLASSPATH = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

    private static void writeImages(Path in) throws Exception {
        for (int i = 0; i < IMAGES; i++) Files.write(in.resolve("img" + i + ".png"), TestImages.encode(TestImages.rgb(24, 24, i), "png"));
    }

    /** The job's options with the fault hook on {@code image} (a faulty:// input) when {@code action} is set. */
    private static List<String> options(Path in, Path out, Path markers, String action, String image, String runId) {
        List<String> o = new ArrayList<>(List.of("model.path=\"" + JobTestSupport.srModel(4) + "\"", "output.path=\"" + out + "\"",
                "restore.tile-mode=whole", "restore.device=cpu", "partitions=4", "run-id=" + runId));
        if (action == null) {
            o.add("input.path=\"" + in + "\"");
        } else {
            o.add("input.path=\"" + FaultInjectingFileSystem.uri(in) + "\"");
            o.addAll(List.of("hadoop.\"faulty.on-restore-read\"=" + image, "hadoop.\"faulty.action\"=" + action,
                    "hadoop.\"faulty.marker-dir\"=\"" + markers + "\""));
            FaultInjectingFileSystem.registration().forEach((k, v) -> o.add("hadoop.\"" + k + "\"=\"" + v + "\""));
        }
        return o;
    }

    /** Exactly one ok row and one whole output per image, no temporary file anywhere under the output. */
    private static Map<String, Row> assertOneCompleteRowPerImage(SparkSession spark, RunSummary run, Path out) throws Exception {
        List<Row> table = spark.read().parquet(run.imagesTable()).collectAsList();
        assertEquals(IMAGES, table.size(), run.text());
        Map<String, Row> rows = table.stream().collect(Collectors.toMap(r -> r.<String>getAs("image_id"), r -> r));
        assertEquals(IMAGES, rows.size(), "no image has two rows");
        for (Row r : rows.values()) {
            assertEquals(ImageRow.OK, r.getAs("status"), r.toString());
            Path written = out.resolve(r.<String>getAs("image_id"));
            assertEquals(96, ImageDecoder.decode(Files.readAllBytes(written), written.toString(), Long.MAX_VALUE).width(), "whole output " + written);
        }
        try (Stream<Path> rowFiles = Files.walk(out.resolve("_mambair/rows"))) {
            for (Path p : rowFiles.filter(Files::isRegularFile).toList()) {
                assertTrue(p.getFileName().toString().matches("part-\\d+-attempt-\\d+-\\d+\\.jsonl"), "row files belong to one task attempt: " + p);
            }
        }
        try (Stream<Path> all = Files.walk(out)) {
            assertEquals(List.of(), all.filter(p -> AtomicFiles.isTemporary(p.getFileName().toString())).toList(), "no temporary files left");
        }
        return rows;
    }

    @Test
    void anExecutorKilledWhileRestoringLeavesNoDuplicateOrPartialOutput(@TempDir Path in, @TempDir Path out, @TempDir Path markers) throws Exception {
        String sparkHome = System.getenv("SPARK_HOME");
        TestRequirements.require(sparkHome != null && System.getenv("SPARK_SCALA_VERSION") != null, "SPARK_HOME/SPARK_SCALA_VERSION not set (run through Maven)");
        Files.createDirectories(Path.of(sparkHome, "jars"));
        writeImages(in);
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("mambair-executor-kill")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.memory", "768m")
                .config("spark.executor.extraClassPath", CLASSPATH)
                .config("spark.executor.extraJavaOptions", System.getProperty("mambair.test.jvm.args", ""))
                .getOrCreate();
        try {
            RunSummary run = MambairJob.run(spark, JobTestSupport.options(options(in, out, markers, "kill-jvm", "img5.png", "killed-executor")
                    .toArray(String[]::new)));
            assertTrue(Files.exists(markers.resolve("fired")), "the executor restoring img5.png was killed");
            long pid = Long.parseLong(Files.readString(markers.resolve("pid")).trim());
            assertNotEquals(ProcessHandle.current().pid(), pid, "the killed JVM was an executor, not the driver");
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "executor " + pid + " is dead");
            assertEquals(IMAGES, run.counts().ok(), run.text());
            assertOneCompleteRowPerImage(spark, run, out);
        } finally {
            spark.stop();
        }
    }

    @Test
    void aDriverKilledMidRunIsCompletedByARerunThatRedoesOnlyUnfinishedImages(@TempDir Path in, @TempDir Path out, @TempDir Path markers)
            throws Exception {
        writeImages(in);
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        command.addAll(Arrays.stream(System.getProperty("mambair.test.jvm.args", "").split("\\s+")).filter(s -> !s.isBlank()).toList());
        command.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
                "-cp", CLASSPATH, MambairJob.class.getName()));
        for (String o : options(in, out, markers, "stall", "img5.png", "killed-driver")) command.addAll(List.of("--set", o));
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(markers.resolve("driver.log").toFile()).start();
        Path rowsDir = out.resolve("_mambair/rows");
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!(Files.exists(markers.resolve("fired")) && countFiles(rowsDir) > 0)) {
                assertTrue(driver.isAlive(), "driver exited early; see " + markers.resolve("driver.log"));
                assertTrue(System.nanoTime() < deadline, "the run never reached img5.png with another image finished");
                Thread.sleep(200);
            }
        } finally {
            driver.destroyForcibly();
            driver.waitFor();
        }
        Map<String, FileTime> finished = finishedImages(rowsDir, out);
        assertTrue(finished.size() < IMAGES && !finished.containsKey("img5.png"), "killed midway: " + finished.keySet());

        SparkSession spark = JobTestSupport.localSpark();
        try {
            RunSummary rerun = MambairJob.run(spark, JobTestSupport.options(options(in, out, markers, null, null, "rerun").toArray(String[]::new)));
            assertEquals(finished.size(), rerun.counts().skipped(), rerun.text());
            assertEquals(IMAGES - finished.size(), rerun.counts().ok(), rerun.text());
            Map<String, Row> rows = assertOneCompleteRowPerImage(spark, rerun, out);
            for (Map.Entry<String, Row> e : rows.entrySet()) {
                boolean wasDone = finished.containsKey(e.getKey());
                assertEquals(wasDone ? "killed-driver" : "rerun", e.getValue().getAs("run_id"), e.getKey());
                if (wasDone) assertEquals(finished.get(e.getKey()), Files.getLastModifiedTime(out.resolve(e.getKey())), e.getKey() + " not recomputed");
            }
        } finally {
            spark.stop();
        }
    }

    private static long countFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).count();
        }
    }

    private static Stream<String> lines(Path p) {
        try {
            return Files.readAllLines(p).stream();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Images with an ok row file and an output after the kill, with the output's modification time. */
    private static Map<String, FileTime> finishedImages(Path rowsDir, Path out) throws Exception {
        Map<String, FileTime> done = new HashMap<>();
        try (Stream<Path> s = Files.walk(rowsDir)) {
            for (String line : s.filter(f -> f.getFileName().toString().endsWith(".jsonl")).flatMap(ProcessKillJobTest::lines).toList()) {
                JsonNode row = new ObjectMapper().readTree(line);
                Path output = out.resolve(row.get("image_id").asText());
                if (ImageRow.OK.equals(row.get("status").asText()) && Files.exists(output)) {
                    done.put(row.get("image_id").asText(), Files.getLastModifiedTime(output));
                }
            }
        }
        return done;
    }
}
