package io.mambair.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spark-submit main class in its own JVM, as spark-submit starts it (master from a system property, Spark's
 * own logging): a user error is one line on stderr and a non-zero exit, never a stack trace.
 */
class MambairJobUserErrorsTest {
    private record Result(int code, String output) {}

    private static Result job(Path dir, String... sets) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        cmd.addAll(Arrays.stream(System.getProperty("mambair.test.jvm.args", "").split("\\s+")).filter(s -> !s.isBlank()).toList());
        cmd.addAll(List.of("-Dspark.master=local[1]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
                "-cp", String.join(java.io.File.pathSeparator, RepositoryFiles.testClasspath()), MambairJob.class.getName()));
        for (String s : sets) cmd.addAll(List.of("--set", s));
        Path log = dir.resolve("driver.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "driver finished");
        return new Result(p.exitValue(), Files.readString(log));
    }

    private static void assertOneLineError(Result r, String start) {
        List<String> errors = r.output().lines().filter(l -> l.startsWith("mambair-job: ")).toList();
        assertEquals(1, errors.size(), r.output());
        assertTrue(errors.get(0).startsWith(start), errors.get(0));
        assertFalse(r.output().lines().anyMatch(l -> l.matches("\\s+at .*") || l.startsWith("Exception in thread")), "no stack trace:\n" + r.output());
    }

    @Test
    void aMissingInputFolderIsOneLine(@TempDir Path tmp) throws Exception {
        Result r = job(tmp, "model.path=\"" + RepositoryFiles.quickstartModel() + "\"", "input.path=\"" + tmp.resolve("nope") + "\"",
                "output.path=\"" + tmp.resolve("out") + "\"");
        assertEquals(1, r.code(), r.output());
        assertOneLineError(r, "mambair-job: ");
        assertTrue(r.output().contains(tmp.resolve("nope").toString()), r.output());
    }

    @Test
    void aRefusedCheckpointIsOneLine(@TempDir Path tmp) throws Exception {
        Path fake = Files.writeString(tmp.resolve("model.pth"), "not a checkpoint");
        Files.createDirectories(tmp.resolve("in"));
        Result r = job(tmp, "model.path=\"" + fake + "\"", "input.path=\"" + tmp.resolve("in") + "\"", "output.path=\"" + tmp.resolve("out") + "\"");
        assertEquals(1, r.code(), r.output());
        assertOneLineError(r, "mambair-job: ");
    }

    @Test
    void aTypoedKeyFailsBeforeSparkStarts(@TempDir Path tmp) throws Exception {
        Result r = job(tmp, "restore.tile-mod=blend");
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("did you mean 'restore.tile-mode'?"), r.output());
        assertFalse(r.output().contains("Running Spark version") || r.output().contains("SparkContext"), "no Spark started:\n" + r.output());
    }
}
