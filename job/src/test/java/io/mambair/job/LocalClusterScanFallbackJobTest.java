package io.mambair.job;

import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import io.mambair.runtime.engine.ScanChoice;
import io.mambair.runtime.scan.FusedScanLibrary;
import io.mambair.runtime.testing.SharedData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * local-cluster[2,1,1024] whose executor JVMs are pointed at a broken fused-scan library while the driver loads
 * the real one: the executors decide, so every image is restored ok through the standard scan, the images table
 * says so per row, and each executor logs exactly one WARN naming the reason.
 */
@Slow
class LocalClusterScanFallbackJobTest {
    @Test
    void executorsThatCannotLoadTheFusedScanRestoreEveryImageWithTheStandardOne(@TempDir Path in, @TempDir Path out,
                                                                                 @TempDir Path tmp) throws Exception {
        String sparkHome = System.getenv("SPARK_HOME");
        TestRequirements.require(sparkHome != null && System.getenv("SPARK_SCALA_VERSION") != null, "SPARK_HOME/SPARK_SCALA_VERSION not set (run through Maven)");
        TestRequirements.require(FusedScanLibrary.path().isPresent(), "no fused library on this platform: the driver could not show it does not decide");
        assertTrue(ScanChoice.fusedUnavailableReason().isEmpty(), "the driver itself can run the fused scan");
        Files.createDirectories(Path.of(sparkHome, "jars"));
        Path lr = SharedData.require("data/benchmarks/Set5/LR_bicubic/X4");
        try (var files = Files.list(lr)) {
            for (Path p : files.toList()) Files.copy(p, in.resolve(p.getFileName()));
        }
        Path broken = Files.writeString(tmp.resolve("libmambair_scan.so"), "this is not a shared library");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("mambair-scan-fallback")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.memory", "768m")
                .config("spark.executor.extraClassPath", classpath)
                .config("spark.executor.extraJavaOptions", System.getProperty("mambair.test.jvm.args", "")
                        + " -D" + FusedScanLibrary.PATH_PROPERTY + "=" + broken)
                .getOrCreate();
        String appId = spark.sparkContext().applicationId();
        try {
            RunSummary run = MambairJob.run(spark, JobTestSupport.options("model.path=\"" + JobTestSupport.srModel(4) + "\"",
                    "input.path=\"" + in + "\"", "output.path=\"" + out + "\"", "restore.tile-mode=whole", "partitions=4",
                    "run-id=scan-fallback"));
            assertEquals(5, run.counts().ok(), run.text());
            List<Row> rows = spark.read().parquet(run.imagesTable()).collectAsList();
            assertEquals(5, rows.size());
            for (Row row : rows) {
                assertEquals("ok", row.getAs("status"), row.toString());
                assertEquals("standard", row.getAs("scan"), row.toString());
            }
        } finally {
            spark.stop();
        }
        List<Path> logs;
        try (Stream<Path> files = Files.walk(Path.of(sparkHome, "work", appId))) {
            logs = files.filter(p -> p.getFileName().toString().equals("stderr")).toList();
        }
        assertEquals(2, logs.size(), "one log per executor: " + logs);
        for (Path log : logs) {
            List<String> warnings = Files.readAllLines(log).stream()
                    .filter(l -> l.contains("WARN") && l.contains("fused selective-scan operator cannot load")).toList();
            assertEquals(1, warnings.size(), log + ": " + warnings);
            assertTrue(warnings.get(0).contains(broken.toString()), warnings.get(0));
        }
    }
}
