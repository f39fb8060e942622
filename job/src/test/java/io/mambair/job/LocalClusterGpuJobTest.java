package io.mambair.job;

import io.mambair.job.execute.TaskReport;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * local-cluster[2,1,1024] (a master, two workers, two separate executor JVMs) with GPUs announced by a
 * discovery script: each executor builds exactly one ONNX session shared by its tasks, each task sees
 * the GPU address Spark assigned, and restores fall back to the CPU because this machine has no GPU (the summary
 * counts them per device); with {@code restore.require-assigned-gpu = true} the same run fails instead.
 */
@Slow
class LocalClusterGpuJobTest {
    @Test
    void twoExecutorsEachBuildOneSessionAndSeeTheirAssignedGpu(@TempDir Path in, @TempDir Path out, @TempDir Path tmp) throws Exception {
        String sparkHome = System.getenv("SPARK_HOME");
        TestRequirements.require(sparkHome != null && System.getenv("SPARK_SCALA_VERSION") != null, "SPARK_HOME/SPARK_SCALA_VERSION not set (run through Maven)");
        Files.createDirectories(Path.of(sparkHome, "jars"));
        Path lr = SharedData.require("data/benchmarks/Set5/LR_bicubic/X4");
        try (var files = Files.list(lr)) {
            for (Path p : files.toList()) Files.copy(p, in.resolve(p.getFileName()));
        }
        Path script = tmp.resolve("getGpus.sh");
        Files.writeString(script, "#!/usr/bin/env bash\necho '{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("mambair-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.memory", "768m")
                .config("spark.executor.extraClassPath", classpath)
                .config("spark.executor.extraJavaOptions", System.getProperty("mambair.test.jvm.args", ""))
                .config("spark.worker.resource.gpu.amount", "2")
                .config("spark.worker.resource.gpu.discoveryScript", script.toString())
                .config("spark.executor.resource.gpu.amount", "1")
                .config("spark.executor.resource.gpu.discoveryScript", script.toString())
                .config("spark.task.resource.gpu.amount", "1")
                .getOrCreate();
        try {
            RunSummary run = MambairJob.run(spark, JobTestSupport.options("model.path=\"" + JobTestSupport.srModel(4) + "\"",
                    "input.path=\"" + in + "\"", "output.path=\"" + out + "\"", "restore.tile-mode=whole", "partitions=4",
                    "run-id=cluster"));
            assertEquals(5, run.counts().ok(), run.text());
            List<TaskReport> reports = run.reports();
            Map<String, List<TaskReport>> byExecutor = reports.stream().collect(Collectors.groupingBy(TaskReport::executorId));
            assertEquals(2, byExecutor.size(), "two executor JVMs did the work: " + reports);
            for (TaskReport r : reports) {
                assertNotNull(r.gpuAddress(), "task saw no GPU: " + r);
                assertTrue(Set.of("0", "1").contains(r.gpuAddress()), r.toString());
                assertEquals("cpu", r.device(), "CPU fallback on a machine without a GPU: " + r);
                assertEquals(1, r.sessionsBuilt(), "one session per executor JVM: " + r);
            }
            List<Row> rows = spark.read().parquet(run.imagesTable()).collectAsList();
            assertEquals(5, rows.size());
            for (Row row : rows) {
                assertTrue(byExecutor.containsKey(row.<String>getAs("executor_id")), row.toString());
                assertTrue(Set.of("0", "1").contains(row.<String>getAs("gpu_address")), row.toString());
                assertEquals("cpu", row.getAs("device"));
            }
            assertTrue(run.text().contains("devices (Spark assigned GPUs): 5 on cpu; WARNING: 5 images ran on the CPU"), run.text());

            // restore.require-assigned-gpu: the assigned GPU that cannot start fails the tasks instead of a CPU run
            Path out2 = tmp.resolve("required");
            Exception failed = assertThrows(Exception.class, () -> MambairJob.run(spark, JobTestSupport.options(
                    "model.path=\"" + JobTestSupport.srModel(4) + "\"", "input.path=\"" + in + "\"", "output.path=\"" + out2 + "\"",
                    "restore.tile-mode=whole", "partitions=2", "run-id=required", "restore.require-assigned-gpu=true")));
            String chain = causes(failed);
            assertTrue(chain.contains("was requested but cannot start"), chain);
        } finally {
            spark.stop();
        }
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c).append('\n');
        return b.toString();
    }
}
