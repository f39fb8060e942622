package io.mambair.job.deploy;

import io.mambair.job.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code bin/mambair} prints for mistakes and for help, run as users run it (after package). Spark's own
 * INFO lines are switched on here (MAMBAIR_LOG4J) so that a Spark context starting would show.
 */
class ConsoleErrorsIT {
    private static ProcessRunner.Result mambair(Path tmp, String... args) throws Exception {
        Path log4j = tmp.resolve("log4j2.properties");
        Files.writeString(log4j, Files.readString(RepositoryFiles.resolve("bin/mambair-log4j2.properties"))
                + "\nlogger.spark.name = org.apache.spark\nlogger.spark.level = info\n");
        List<String> cmd = new java.util.ArrayList<>(List.of("bin/mambair"));
        cmd.addAll(List.of(args));
        return ProcessRunner.run(cmd, RepositoryFiles.root(), Map.of("MAMBAIR_JAVA_OPTS", "-Xmx1g", "MAMBAIR_LOG4J", log4j.toString()), 300);
    }

    @Test
    void aTypoedKeyFailsInAFewLinesNamingTheRightKeyBeforeSparkStarts(@TempDir Path tmp) throws Exception {
        long start = System.nanoTime();
        ProcessRunner.Result r = mambair(tmp, "run", "--preset", "quickstart", "--set", "restore.tile-mod=blend");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("typo'd key: exit %d after %.1f s, %d lines%n", r.exitCode(), seconds, r.output().lines().count());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().lines().count() < 5, r.output());
        assertTrue(r.output().contains("unknown key 'restore.tile-mod' (--set); did you mean 'restore.tile-mode'?"), r.output());
        assertFalse(r.output().contains("SparkContext") || r.output().contains("Running Spark version"), "no Spark started:\n" + r.output());
        assertFalse(r.output().contains("Exception"), r.output());
    }

    @Test
    void aMissingGpuRequestedExplicitlyExitsNonZeroInOneLine(@TempDir Path tmp) throws Exception {
        ProcessRunner.Result r = mambair(tmp, "run", "--preset", "quickstart", "--set", "restore.device=cuda:7",
                "--set", "output.path=\"" + tmp.resolve("out") + "\"");
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().contains("run: device cuda:7 was requested but cannot start: "), r.output());
        assertTrue(r.output().lines().count() < 5, r.output());
        assertFalse(r.output().contains("SparkContext"), "refused before Spark starts:\n" + r.output());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void helpRunPrintsTheUsageOfRun(@TempDir Path tmp) throws Exception {
        ProcessRunner.Result r = mambair(tmp, "help", "run");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().startsWith("Usage: mambair run"), r.output());
        for (String option : List.of("--config", "--preset", "--set", "--master")) assertTrue(r.output().contains(option + "="), r.output());
    }
}
