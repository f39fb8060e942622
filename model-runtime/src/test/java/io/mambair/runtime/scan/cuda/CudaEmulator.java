package io.mambair.runtime.scan.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host emulator of the CUDA kernels (src/test/native/cuda_emulator), built once per test JVM with g++. */
final class CudaEmulator {
    private static Path binary;

    private CudaEmulator() {}

    /** The emulator executable, compiled into target/cuda-emulator on first use. */
    static synchronized Path binary() throws IOException, InterruptedException {
        if (binary == null) {
            Path out = Path.of("target", "cuda-emulator");
            Files.createDirectories(out);
            Path exe = out.resolve("scan2d_emulator").toAbsolutePath();
            run(List.of(System.getenv().getOrDefault("CXX", "g++"), "-std=c++17", "-O2", "-DMAMBAIR_CUDA_EMULATOR",
                    "-Wall", "-Wextra", "-Wno-unknown-pragmas", "-Werror", "-Isrc/main/native/cuda", "-x", "c++",
                    "src/test/native/cuda_emulator/scan2d_emulator.cc", "-o", exe.toString()));
            binary = exe;
        }
        return binary;
    }

    /** Runs the emulator with args; returns its output, failing on a non-zero exit. */
    static String emulate(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary().toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs a command to completion; returns stdout and stderr, failing on a non-zero exit. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + "\n" + output);
        return output;
    }
}
