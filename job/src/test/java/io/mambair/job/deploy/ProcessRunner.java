package io.mambair.job.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command of the deploy scripts as users do (a child process), with its output merged and captured. */
final class ProcessRunner {
    /** Exit status and the merged stdout/stderr of a finished process. */
    record Result(int exitCode, String output) {}

    private ProcessRunner() {}

    /** Runs {@code command} in {@code dir} with {@code env} added to this JVM's environment; fails after {@code timeoutSeconds}. */
    static Result run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("mambair-process", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Writes an executable script. */
    static Path script(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The PATH of this JVM with {@code dir} in front. */
    static String pathWith(Path dir) {
        return dir + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    }
}
