package io.mambair.runtime.scan.cuda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged library's CUDA SelectiveScan2D launcher driven by gpu/library_check.py (a ctypes stand-in of ORT's
 * kernel API) on a fake libcuda.so.1 with the driver's context rules (src/test/native/cuda_fake_driver): the
 * context current on the calling thread (none, another GPU's), a stream of another context, a null stream, two
 * streams sharing a scratch pool, two threads at once; each result against the float64 reference and the CPU op.
 * Also: one module load and one set of function handles per context, a JIT failure compiled once and reported with
 * its log, a failed launch, a sticky fault reported as a device fault, each scratch mode.
 */
class CudaLauncherProtocolTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path CHECK = Path.of("..", "gpu", "library_check.py").toAbsolutePath().normalize();
    private static final Path LIBRARY = Path.of("target/classes/native/linux-x86_64/libmambair_scan.so").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path withAsync;
    private static Path withoutAsync;

    @BeforeAll
    static void buildFakeDrivers(@TempDir Path dir) throws Exception {
        boolean numpy = Files.isExecutable(Path.of(PYTHON)) && new ProcessBuilder(PYTHON, "-c", "import numpy").start().waitFor() == 0;
        TestRequirements.require(numpy, PYTHON + " with NumPy is missing (CI installs python3-numpy)");
        TestRequirements.require(Files.isRegularFile(LIBRARY) && Files.size(Path.of("target/cuda/scan2d_kernel.ptx")) > 0,
                "no x86-64 library with its PTX was built (clang missing?)");
        withAsync = fakeDriver(dir.resolve("async"), true);
        withoutAsync = fakeDriver(dir.resolve("plain"), false);
    }

    private static Path fakeDriver(Path dir, boolean streamOrdered) throws Exception {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("CXX", "g++"), "-std=c++17", "-O2",
                "-fPIC", "-shared", "-DMAMBAIR_CUDA_EMULATOR", "-Wall", "-Wno-unknown-pragmas", "-Isrc/main/native/cuda",
                "-Isrc/test/native/cuda_emulator", "-x", "c++", "src/test/native/cuda_fake_driver/fake_libcuda.cc",
                "-o", dir.resolve("libcuda.so.1").toString()));
        if (streamOrdered) command.add("-DFAKE_CUDA_STREAM_ORDERED_ALLOC");
        CudaEmulator.run(command);
        return dir;
    }

    @Test
    void stockOrtUsesItsStreamBoundScratchAndEveryCaseMatchesTheReferences(@TempDir Path out) throws Exception {
        JsonNode r = check(withoutAsync, out, Map.of());
        assertAllOk(r);
        JsonNode correct = caseNamed(r, "correct-B1E8N16-17x20");
        assertTrue(correct.get("events").get(0).asText().startsWith("GetScratchBuffer"), correct.toString());
        JsonNode pair = caseNamed(r, "two-streams-shared-scratch");
        assertFalse(pair.get("second_reused_first_block").asBoolean(), "a block bound to stream 1 went to stream 2");
        // no stream: ORT's GetScratchBuffer would dereference it; the provider allocator with a synchronisation
        assertEquals("GetAllocator", caseNamed(r, "null-stream").get("events").get(0).asText());
        JsonNode counts = r.get("fake_driver_counts");
        assertEquals(2, counts.get("load").asInt(), "one PTX load per context (primary of GPU 0, GPU 1)");
        assertEquals(16, counts.get("get_function").asInt(), "8 function handles per context, resolved once");
    }

    @Test
    void withoutScratchBufferTheDriversStreamOrderedAllocationIsUsed(@TempDir Path out) throws Exception {
        JsonNode r = check(withAsync, out, Map.of(), "--ort-api", "17");
        assertAllOk(r);
        assertEquals(0, caseNamed(r, "correct-B1E8N16-17x20").get("events").size(), "no pool use");
        JsonNode counts = r.get("fake_driver_counts");
        assertTrue(counts.get("alloc_async").asInt() >= 8, counts.toString());
        assertEquals(counts.get("alloc_async").asInt(), counts.get("free_async").asInt(), counts.toString());
    }

    @Test
    void theSyncFallbackWaitsForTheStreamBeforeEachFree(@TempDir Path out) throws Exception {
        JsonNode r = check(withoutAsync, out, Map.of("MAMBAIR_CUDA_SCRATCH", "sync"));
        assertAllOk(r);
        int frees = 0;
        for (JsonNode c : r.get("cases")) {
            if (c.has("events")) for (JsonNode e : c.get("events")) if (e.asText().startsWith("Free ")) frees++;
        }
        assertTrue(frees >= 8, "frees " + frees);
        assertTrue(r.get("fake_driver_counts").get("stream_sync").asInt() >= frees, r.get("fake_driver_counts").toString());
    }

    @Test
    void aJitFailureIsCompiledOnceAndReportedWithItsLog(@TempDir Path out) throws Exception {
        JsonNode r = check(withoutAsync, out, Map.of("FAKE_CUDA_JIT_FAIL", "1"), "--fault", "jit");
        assertAllOk(r);
        assertEquals(1, r.get("fake_driver_counts").get("load").asInt());
    }

    @Test
    void aFailedLaunchNamesTheKernelAndTheNextCallWorks(@TempDir Path out) throws Exception {
        assertAllOk(check(withoutAsync, out, Map.of("FAKE_CUDA_LAUNCH_ERROR", "701@2"), "--fault", "launch"));
    }

    @Test
    void aStickyErrorIsReportedAsADeviceFault(@TempDir Path out) throws Exception {
        assertAllOk(check(withoutAsync, out, Map.of("FAKE_CUDA_LAUNCH_ERROR", "700@1"), "--fault", "sticky"));
    }

    @Test
    void anUnknownScratchModeIsOneLineNamingTheChoices(@TempDir Path out) throws Exception {
        JsonNode r = check(withoutAsync, out, Map.of("MAMBAIR_CUDA_SCRATCH", "fast"), "--fault", "launch");
        String status = caseNamed(r, "fault-launch").get("statuses").get(0).asText();
        assertEquals("SelectiveScan2D (CUDA): MAMBAIR_CUDA_SCRATCH=fast is not one of ort, async, sync", status);
    }

    private static JsonNode check(Path driver, Path out, Map<String, String> env, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, CHECK.toString(), "--small", "--lib", LIBRARY.toString(),
                "--out", out.toString()));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", driver.toString());
        pb.environment().remove("MAMBAIR_CUDA_SCRATCH");
        pb.environment().putAll(env);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), log);
        Path json = out.resolve("library-check.json");
        assertTrue(Files.isRegularFile(json), log);
        JsonNode r = JSON.readTree(json.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) r).put("log", log);
        return r;
    }

    private static void assertAllOk(JsonNode r) {
        assertTrue(r.get("cases").size() > 0, r.get("log").asText());
        for (JsonNode c : r.get("cases")) assertTrue(c.get("ok").asBoolean(), c.toString());
    }

    private static JsonNode caseNamed(JsonNode r, String name) {
        for (JsonNode c : r.get("cases")) if (c.get("case").asText().equals(name)) return c;
        throw new AssertionError("no case " + name + " in " + r.get("log").asText());
    }
}
