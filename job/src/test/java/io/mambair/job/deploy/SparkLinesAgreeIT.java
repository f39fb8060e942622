package io.mambair.job.deploy;

import io.mambair.job.RepositoryFiles;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job jar of this build (Spark 3.5 / Scala 2.12, or Spark 4.1 / Scala 2.13 under -Pspark4) runs the quickstart and
 * a Set5 x2 benchmark under Spark's launcher on this build's Spark; the restored images' SHA-256 and every metric are
 * written as a record per Spark line to {@code mambair.spark-lines.dir}, and must equal every other line's record
 * there. {@code .ci/run} runs the Spark 3.5 build first and sets {@code mambair.spark-lines.compare=true} for the
 * Spark 4.1 leg, which then needs the 3.5 record.
 */
@Slow
class SparkLinesAgreeIT {
    private static final List<String> METRICS = List.of("psnr", "ssim", "psnr_y", "ssim_y", "baseline_psnr_y", "baseline_ssim_y");

    @Test
    void quickstartAndSet5BenchmarkGiveTheSameImagesAndMetricsOnEverySparkLine(@TempDir Path tmp) throws Exception {
        Path jobJar = Path.of(System.getProperty("mambair.job.jar"));
        assertTrue(Files.isRegularFile(jobJar), "built by package: " + jobJar);
        Path shim = SparkSubmitShim.create(tmp, tmp.resolve("spark-submit.args"));
        Path set5 = SharedData.require("data/benchmarks/Set5");

        Path quickstart = tmp.resolve("quickstart");
        run(shim, jobJar, tmp, "--preset", "quickstart", "--set", "model.path=\"" + RepositoryFiles.quickstartModel() + "\"",
                "--set", "input.path=\"" + RepositoryFiles.resolve("samples") + "\"", "--set", "output.path=\"" + quickstart + "\"",
                "--set", "run-id=quickstart");
        Path benchmark = tmp.resolve("set5x2");
        run(shim, jobJar, tmp, "--preset", "light_sr_x2", "--set", "dataset=Set5",
                "--set", "model.path=\"" + SharedData.fixture("protocol_light_sr_x2_tiled").resolve("model.pth") + "\"",
                "--set", "input.path=\"" + set5.resolve("LR_bicubic/X2") + "\"",
                "--set", "benchmark.reference-path=\"" + set5.resolve("HR") + "\"",
                "--set", "output.path=\"" + benchmark + "\"", "--set", "run-id=set5x2");

        SparkSession spark = SparkSession.builder().master("local[1]").appName("mambair-spark-lines")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        List<String> record = new ArrayList<>();
        String line;
        try {
            line = "spark-" + spark.version() + "_" + scala.util.Properties.versionNumberString();
            record.addAll(rows(spark, quickstart, false));
            record.addAll(rows(spark, benchmark, true));
        } finally {
            spark.stop();
        }
        assertEquals(10, record.size(), String.join("\n", record));

        Path dir = Files.createDirectories(Path.of(System.getProperty("mambair.spark-lines.dir", tmp.resolve("lines").toString())));
        Files.write(dir.resolve(line + ".tsv"), record);
        List<Path> others;
        try (Stream<Path> files = Files.list(dir)) {
            others = files.filter(f -> f.getFileName().toString().endsWith(".tsv") && !f.getFileName().toString().equals(line + ".tsv")).sorted().toList();
        }
        if (Boolean.getBoolean("mambair.spark-lines.compare")) {
            TestRequirements.require(!others.isEmpty(), "a record of another Spark line in " + dir + " (written by the Spark 3.5 run before this one)");
        }
        for (Path other : others) assertEquals(Files.readAllLines(other), record, line + " against " + other.getFileName());
    }

    private static void run(Path shim, Path jobJar, Path dir, String... jobArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RepositoryFiles.resolve("deploy/spark-submit.sh").toString(),
                "--master", "local[2]", "--job-jar", jobJar.toString(), "--ort-jar", RepositoryFiles.onnxRuntimeJar().toString(),
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1"));
        cmd.addAll(List.of(jobArgs));
        cmd.addAll(List.of("--set", "restore.device=cpu"));
        ProcessRunner.Result r = ProcessRunner.run(cmd, dir, Map.of("SPARK_SUBMIT", shim.toString()), 600);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("inputs 5 = ok 5 + error 0 + skipped 0"), r.output());
    }

    /** One line per image: run, image, SHA-256 of the written output, then the metrics (benchmark runs). */
    private static List<String> rows(SparkSession spark, Path out, boolean metrics) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Row r : spark.read().parquet(out.resolve("_mambair/images").toString()).orderBy("image_id").collectAsList()) {
            assertEquals("ok", r.getAs("status"), r.toString());
            Path written = Path.of(new org.apache.hadoop.fs.Path(r.<String>getAs("output_uri")).toUri().getPath());
            StringBuilder b = new StringBuilder(r.<String>getAs("run_id")).append('\t').append(r.<String>getAs("image_id"))
                    .append('\t').append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(written))));
            if (metrics) {
                for (String m : METRICS) {
                    assertFalse(r.isNullAt(r.fieldIndex(m)), m + " of " + r);
                    b.append('\t').append(m).append('=').append(r.<Double>getAs(m));
                }
            }
            lines.add(b.toString());
        }
        return lines;
    }
}
