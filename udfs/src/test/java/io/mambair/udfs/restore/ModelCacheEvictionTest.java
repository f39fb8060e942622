package io.mambair.udfs.restore;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.InferenceSession;
import io.mambair.runtime.engine.SessionPool;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.npy.Npy;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.Slow;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eight threads restore through a one-session cache while cycling three models, so sessions are evicted and
 * closed under running restores: every output matches the official PyTorch output, no run meets a closed session,
 * every session is freed once the cache closes, and native memory returns to where it started.
 */
@Slow
class ModelCacheEvictionTest {
    private static final List<String> FIXTURES = List.of("light_sr_x4", "car_gray", "color_dn");
    private static final int THREADS = 8;
    private static final int ROUNDS = 3;
    private static final int WARM_ROUNDS = 3;
    private static final int FIRST_MEASURED_ROUNDS = 3;
    private static final int MEASURED_ROUNDS = 6;
    private static final RestoreOptions WHOLE = RestoreOptions.defaults().withTileMode(TileMode.WHOLE);

    private record Case(String model, PlanarImage input, float[] expected) {}

    @Test
    void concurrentRestoresStayRightWhileTheCacheEvictsAndClosesSessions() throws Exception {
        Set<InferenceSession> seen = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            Round r = round(threads, cases(), seen);
            assertTrue(r.worst() <= 1e-4f, "max abs diff to the official outputs " + r.worst());
            assertTrue(r.built() > FIXTURES.size(), "the one-session cache evicted and rebuilt sessions: built " + r.built());
            assertEquals(r.built(), seen.size(), "every session built served restores");
            for (InferenceSession s : seen) assertTrue(s.isReleased(), "a session outlived its cache");
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Closed sessions are not kept: once warm, native memory stops growing however many more sessions are built and
     * closed. A kept session would hold at least its weights (ONNX Runtime copies every initializer out of the model
     * bytes), so keeping them would add at least the checkpoints' mean size per closed session. Measured in a child
     * JVM with one malloc arena and no thread-stack cache, so that glibc's per-thread arenas and the stacks it keeps
     * of exited pool threads do not pass for a leak. The first measured rounds still grow (allocator and ONNX Runtime
     * residue that levels off); the assertion is on the longer block of rounds after them. Measured here: 22-31 KiB
     * per closed session against a floor of 390 KiB; with closing disabled in the pool, 3.9 MiB per session.
     */
    @Test
    void closedSessionsGiveTheirNativeMemoryBack() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Dmambair.shared=" + SharedData.root(), "-cp", classpath, ModelCacheEvictionTest.class.getName()).redirectErrorStream(true);
        pb.environment().put("MALLOC_ARENA_MAX", "1");
        pb.environment().put("GLIBC_TUNABLES", "glibc.pthread.stack_cache_size=0");
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes());
        assertEquals(0, child.waitFor(), output);
        String line = output.lines().filter(l -> l.startsWith("ModelCacheEvictionTest:")).findFirst().orElseThrow(() -> new AssertionError(output));
        System.out.println(line);
        String[] v = line.replaceAll(".*numbers: ", "").trim().split(" ");
        long growth = Long.parseLong(v[0]), built = Long.parseLong(v[1]), keptSessionFloor = Long.parseLong(v[2]);
        assertTrue(built > 50, "enough sessions were built and closed to tell a leak from residue: " + line);
        // Were closed sessions kept, memory would grow by at least their weights for each of them.
        assertTrue(growth < built * keptSessionFloor, line);
    }

    /** The child of {@link #closedSessionsGiveTheirNativeMemoryBack}: prints its measurements. */
    public static void main(String[] args) throws Exception {
        List<Case> cases = cases();
        Set<InferenceSession> seen = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        // The first rounds load ONNX Runtime, the scan library and the JIT'd paths; memory is measured after them.
        for (int i = 0; i < WARM_ROUNDS; i++) round(threads, cases, seen);
        long[] start = settledMemoryKiB();
        float worst = 0;
        for (int i = 0; i < FIRST_MEASURED_ROUNDS; i++) worst = Math.max(worst, round(threads, cases, seen).worst());
        long[] baseline = settledMemoryKiB();
        int built = 0;
        for (int i = 0; i < MEASURED_ROUNDS; i++) {
            Round r = round(threads, cases, seen);
            built += r.built();
            worst = Math.max(worst, r.worst());
        }
        long[] after = settledMemoryKiB();
        threads.shutdown();
        if (worst > 1e-4f) throw new AssertionError("max abs diff to the official outputs " + worst);
        long growth = after[1] - baseline[1];
        long keptSessionFloor = meanCheckpointKiB(cases);
        System.out.printf("ModelCacheEvictionTest: first measured rounds %+d KiB outside the heap;"
                        + " then %d threads, %d sessions built and closed; resident set %d -> %d KiB,"
                        + " outside the Java heap, metaspace and code cache %d -> %d KiB (%+d KiB, %.1f KiB per closed session);"
                        + " a kept session would hold at least %d KiB of weights; numbers: %d %d %d%n",
                baseline[1] - start[1], THREADS, built, baseline[0], after[0], baseline[1], after[1], growth, (double) growth / built, keptSessionFloor,
                growth, built, keptSessionFloor);
    }

    private static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String f : FIXTURES) {
            Path dir = SharedData.fixture(f);
            Npy.FloatArray in = Npy.read(dir.resolve("input.npy"));
            long[] s = in.shape();
            cases.add(new Case(dir.resolve("model.pth").toString(), new PlanarImage((int) s[1], (int) s[2], (int) s[3], in.data()),
                    Npy.read(dir.resolve("output.npy")).data()));
        }
        return cases;
    }

    private record Round(float worst, int built) {}

    /** Every thread restores every model {@value #ROUNDS} times through one fresh one-session cache, then it closes. */
    private static Round round(ExecutorService threads, List<Case> cases, Set<InferenceSession> seen) throws Exception {
        ModelCache cache = new ModelCache(1);
        List<Future<Float>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            results.add(threads.submit(() -> {
                float worst = 0;
                for (int i = 0; i < ROUNDS * cases.size(); i++) worst = Math.max(worst, churn(cache, cases.get((first + i) % cases.size()), seen));
                return worst;
            }));
        }
        float worst = 0;
        for (Future<Float> r : results) worst = Math.max(worst, r.get());
        int built = cache.sessionsBuilt();
        cache.close();
        assertEquals(0, cache.size());
        return new Round(worst, built);
    }

    /** The mean size of the cycled checkpoints (float32 weights and a little pickle framing), in KiB. */
    private static long meanCheckpointKiB(List<Case> cases) throws IOException {
        long total = 0;
        for (Case c : cases) total += Files.size(Path.of(c.model()));
        return total / cases.size() / 1024;
    }

    /** One restore through a lease; returns its max abs difference to the official output. */
    private static float churn(ModelCache cache, Case c, Set<InferenceSession> seen) {
        try (SessionPool<String>.Lease lease = cache.lease(c.model(), Device.cpu())) {
            seen.add(lease.session());
            float[] out = lease.restorer().restore(c.input(), WHOLE).data();
            assertEquals(c.expected().length, out.length);
            float worst = 0;
            for (int i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - c.expected()[i]));
            return worst;
        }
    }

    /** After garbage collection: the resident set, and the resident set less the JVM's committed heap and non-heap pools. */
    private static long[] settledMemoryKiB() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        var memory = ManagementFactory.getMemoryMXBean();
        long heap = (memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted()) / 1024;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                long rss = Long.parseLong(line.replaceAll("\\D", ""));
                return new long[] {rss, rss - heap};
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
