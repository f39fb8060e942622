package io.mambair.job.reliability;

import io.mambair.job.JobConfiguration;
import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.config.EffectiveConfig;
import io.mambair.job.config.InvalidConfigException;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.checkpoint.CheckpointException;
import io.mambair.runtime.testing.Slow;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Untrusted inputs given to the job: pickle checkpoints are refused before anything runs, no input
 * name or link in the output tree makes an output land outside the output root, and secrets in the
 * configuration never reach the log, the console, error messages or the written effective config.
 */
@Slow
class UntrustedInputJobTest {
    /** The file the malicious pickles' payload would create (model-runtime's make_checkpoint_fixtures.py). */
    private static final Path MARKER = Path.of("/tmp/mambair-malicious-checkpoint-marker");
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = JobTestSupport.localSpark(); }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    private static Path copyResource(String name, Path dir) throws Exception {
        Path file = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        try (InputStream in = UntrustedInputJobTest.class.getResourceAsStream(name)) {
            Files.copy(in, file);
        }
        return file;
    }

    private static List<String> baseOptions(Path model, Path in, Path out) {
        return new ArrayList<>(List.of("model.path=\"" + model + "\"", "input.path=\"" + in + "\"", "output.path=\"" + out + "\"",
                "restore.tile-mode=whole", "restore.device=cpu", "partitions=2"));
    }

    @Test
    void aPickleCheckpointGivenToTheJobIsRefusedAtStartNamingTheGlobalAndNothingRuns(@TempDir Path tmp, @TempDir Path in,
                                                                                       @TempDir Path out) throws Exception {
        Files.deleteIfExists(MARKER);
        Files.write(in.resolve("a.png"), TestImages.encode(TestImages.rgb(12, 10, 1), "png"));
        for (String name : List.of("/checkpoint/malicious_os_system.pth", "/checkpoint/malicious_protocol4.pth", "/checkpoint/malicious_eval.pth")) {
            Path model = copyResource(name, tmp);
            AtomicInteger jobs = new AtomicInteger();
            SparkListener counter = new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart start) { jobs.incrementAndGet(); }
            };
            spark.sparkContext().addSparkListener(counter);
            try {
                CheckpointException e = assertThrows(CheckpointException.class,
                        () -> MambairJob.run(spark, JobTestSupport.options(baseOptions(model, in, out).toArray(String[]::new))));
                assertTrue(e.getMessage().matches("(?s).*'(posix\\.system|__builtin__\\.eval)'.*refused.*nothing was executed.*"), e.getMessage());
                spark.sparkContext().listenerBus().waitUntilEmpty();
                assertEquals(0, jobs.get(), name + ": no Spark job started");
            } finally {
                spark.sparkContext().removeSparkListener(counter);
            }
            assertFalse(Files.exists(MARKER), name + ": the payload never ran");
            try (Stream<Path> written = Files.list(out)) {
                assertEquals(List.of(), written.toList(), name + ": nothing written, not even the effective config");
            }
        }
    }

    @Test
    void outputsNeverLeaveTheOutputRootThroughNamesOrLinks(@TempDir Path in, @TempDir Path out, @TempDir Path outside) throws Exception {
        byte[] png = TestImages.encode(TestImages.rgb(12, 10, 2), "png");
        Files.write(in.resolve("fine.png"), png);
        Files.write(in.resolve("a\\..\\..\\escape.png"), png);
        Files.createDirectories(in.resolve("linked"));
        Files.write(in.resolve("linked/a.png"), png);
        Files.write(in.resolve("victim.png"), png);
        Files.createSymbolicLink(out.resolve("linked"), outside);
        Path victim = outside.resolve("victim-target.png");
        byte[] victimBytes = "precious".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(victim, victimBytes);
        Files.createSymbolicLink(out.resolve("victim.png"), victim);

        RunSummary run = MambairJob.run(spark, JobTestSupport.options(baseOptions(JobTestSupport.srModel(4), in, out).toArray(String[]::new)));

        Map<String, Row> rows = spark.read().parquet(run.imagesTable()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<String>getAs("image_id"), r -> r));
        assertEquals(4, rows.size(), run.text());
        assertEquals(ImageRow.OK, rows.get("fine.png").getAs("status"));
        assertEquals("UnsafeOutputPath", rows.get("a\\..\\..\\escape.png").getAs("error_class"));
        assertEquals("UnsafeOutputPathException", rows.get("linked/a.png").getAs("error_class"));
        assertTrue(rows.get("linked/a.png").<String>getAs("error_message").contains("is a symbolic link"));
        assertEquals("UnsafeOutputPathException", rows.get("victim.png").getAs("error_class"));
        try (Stream<Path> escaped = Files.list(outside)) {
            assertEquals(List.of(victim), escaped.toList(), "nothing written outside the output root");
        }
        assertArrayEquals(victimBytes, Files.readAllBytes(victim), "the link target is untouched");
        assertTrue(Files.isSymbolicLink(out.resolve("victim.png")), "the link itself is not replaced");
        try (Stream<Path> parent = Files.list(out.getParent())) {
            assertFalse(parent.anyMatch(p -> p.getFileName().toString().contains("escape")), "nothing beside the output root");
        }
    }

    @Test
    void secretsNeverReachTheLogTheConsoleErrorsOrTheEffectiveConfig(@TempDir Path in, @TempDir Path out) throws Exception {
        Files.write(in.resolve("a.png"), TestImages.encode(TestImages.rgb(12, 10, 3), "png"));
        Map<String, String> secrets = Map.of(
                "s3.access-key", "AKIAEXAMPLEACCESS0001",
                "s3.secret-key", "s3-secret-value-0002",
                "hadoop.\"fs.s3a.session.token\"", "session-token-value-0003",
                "hadoop.\"fs.azure.account.key.acct.blob.core.windows.net\"", "azure-account-key-0004",
                "hadoop.\"javax.jdo.option.ConnectionPassword\"", "db-password-value-0005",
                "hadoop.\"my.service.credentials\"", "credential-value-0006");
        List<String> options = baseOptions(JobTestSupport.srModel(4), in, out);
        secrets.forEach((k, v) -> options.add(k + "=\"" + v + "\""));
        String text;
        List<String> errors = new ArrayList<>();
        try (LogCapture capture = new LogCapture()) {
            RunSummary run = MambairJob.run(spark, JobTestSupport.options(options.toArray(String[]::new)));
            assertEquals(1, run.counts().ok(), run.text());
            errors.add(assertThrows(InvalidConfigException.class, () -> MambairJob.run(spark, JobTestSupport.options(
                    "model.path=x", "input.path=x", "output.path=x", "s3.secret-kee=\"typo-secret-0007\"")),
                    "a misspelt secret key is an unknown key").getMessage());
            errors.add(assertThrows(InvalidConfigException.class, () -> MambairJob.run(spark, JobTestSupport.options(
                    "model.path=x", "input.path=x", "output.path=x", "s3.secret-key={nested=wrong-type-secret-0008}")),
                    "an object is not a string").getMessage());
            errors.add(JobConfiguration.load(JobTestSupport.options(options.toArray(String[]::new)), Map.of(),
                    new org.apache.hadoop.conf.Configuration()).settings().toString());
            text = capture.text();
        }
        assertTrue(errors.get(0).contains("s3.secret-kee") && errors.get(1).contains("s3.secret-key"), "the problems still name the keys: " + errors);
        assertTrue(text.contains("mambair run ") && text.contains("effective configuration in "),
                "the log was captured; the configuration is in effective.conf, not in the log");
        Path effective;
        try (Stream<Path> files = Files.walk(out.resolve("_mambair/runs"))) {
            effective = files.filter(p -> p.getFileName().toString().equals("effective.conf")).findFirst().orElseThrow();
        }
        String written = Files.readString(effective);
        assertTrue(written.contains("fs.azure.account.key.acct.blob.core.windows.net") && written.contains(EffectiveConfig.REDACTED), written);
        List<String> values = new ArrayList<>(secrets.values());
        values.addAll(List.of("typo-secret-0007", "wrong-type-secret-0008"));
        for (String secret : values) {
            assertFalse(text.contains(secret), "log/console shows " + secret);
            assertFalse(written.contains(secret), "effective.conf shows " + secret);
            for (String e : errors) assertFalse(e.contains(secret), "error message or settings text shows " + secret + ": " + e);
        }
    }
}
