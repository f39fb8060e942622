package io.mambair.runtime.scan.cuda;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA scan's driver loader (src/main/native/cuda/cuda_driver.cc) with no driver, a library without the driver
 * API and a driver that finds no GPU: each time one line saying why, never a crash.
 */
class CudaDriverLoadTest {
    private static Path probe;

    @BeforeAll
    static void buildProbe(@TempDir Path dir) throws Exception {
        probe = dir.resolve("probe");
        CudaEmulator.run(List.of(System.getenv().getOrDefault("CXX", "g++"), "-std=c++17", "-O1", "-Wall", "-Werror",
                "-Isrc/main/native/cuda", "src/test/native/cuda_driver_probe/probe.cc", "src/main/native/cuda/cuda_driver.cc",
                "-o", probe.toString(), "-ldl", "-lpthread"));
    }

    @Test
    void noDriverIsOneLineNamingTheLibrary(@TempDir Path empty) throws Exception {
        String system = CudaEmulator.run(List.of("sh", "-c", "ldconfig -p | grep -c 'libcuda.so.1 ' || true")).trim();
        assumeTrue(system.equals("0"), "this machine has an NVIDIA driver installed");
        assertEquals("cannot open libcuda.so.1, the NVIDIA driver library (libcuda.so.1: cannot open shared object file: "
                + "No such file or directory)", probe(empty));
    }

    @Test
    void aLibraryWithoutTheDriverApiIsNamed(@TempDir Path dir) throws Exception {
        fakeDriver(dir, "int unrelated(void) { return 0; }");
        assertEquals("libcuda.so.1 has no cuInit (driver too old?)", probe(dir));
    }

    @Test
    void aDriverWithoutGpusSaysWhatCuInitReported(@TempDir Path dir) throws Exception {
        StringBuilder c = new StringBuilder("int cuInit(unsigned f) { return 100; }\n"
                + "int cuGetErrorString(int e, const char** s) { *s = \"no CUDA-capable device is detected\"; return 0; }\n");
        for (String f : List.of("cuCtxGetCurrent", "cuCtxPushCurrent_v2", "cuCtxPopCurrent_v2", "cuStreamGetCtx",
                "cuModuleLoadDataEx", "cuModuleGetFunction", "cuLaunchKernel", "cuStreamSynchronize")) {
            c.append("int ").append(f).append("(void) { return 999; }\n");
        }
        fakeDriver(dir, c.toString());
        assertEquals("cuInit failed: no CUDA-capable device is detected (code 100)", probe(dir));
    }

    private static void fakeDriver(Path dir, String source) throws Exception {
        Path c = dir.resolve("fake_cuda.c");
        Files.writeString(c, source);
        CudaEmulator.run(List.of("gcc", "-shared", "-fPIC", "-o", dir.resolve("libcuda.so.1").toString(), c.toString()));
    }

    /** Runs the probe with only dir on the library path; returns its one line, checking it exited 1. */
    private static String probe(Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(probe.toString()).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue(), out);
        assertEquals(1, out.lines().count(), out);
        return out.strip();
    }
}
