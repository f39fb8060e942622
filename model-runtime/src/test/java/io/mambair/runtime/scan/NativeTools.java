package io.mambair.runtime.scan;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds tools on PATH and runs processes for the native test harnesses (compilers, qemu, child JVMs). */
final class NativeTools {
    /** The model-runtime module folder (tests run in it). */
    static final Path MODULE = Paths.get("").toAbsolutePath();
    static final Path NATIVE_SOURCES = MODULE.resolve("src/main/native");
    static final Path TEST_SOURCES = MODULE.resolve("src/test/native");

    private NativeTools() {}

    /** A process's exit status and its stdout and stderr together. */
    record Run(int exitCode, String output) {}

    static Optional<Path> find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, tool);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    static Run run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("native-run", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " ran over " + timeoutSeconds + " s: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.delete(log);
        }
    }

    /**
     * Compiles the kernel harness (src/test/native/scan_harness.cc with the real kernel source) with
     * {@code compiler} and {@code flags} into target/native-tests/{@code name}; fails the test on a compile error.
     */
    static Path buildHarness(String name, List<String> compiler, List<String> flags)
            throws IOException, InterruptedException {
        Path out = MODULE.resolve("target/native-tests").resolve(name);
        Files.createDirectories(out.getParent());
        List<String> command = new ArrayList<>(compiler);
        command.addAll(List.of("-std=c++17", "-fno-exceptions", "-Wall", "-Wextra", "-Wno-psabi"));
        command.addAll(flags);
        command.addAll(List.of(TEST_SOURCES.resolve("scan_harness.cc").toString(),
                NATIVE_SOURCES.resolve("selective_scan_kernel.cc").toString(), "-o", out.toString(), "-lm"));
        Run build = run(command, Map.of(), 600);
        if (build.exitCode() != 0) throw new IllegalStateException(String.join(" ", command) + " failed:\n" + build.output());
        return out;
    }
}
