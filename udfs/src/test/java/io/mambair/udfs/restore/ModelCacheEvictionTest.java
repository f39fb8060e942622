package io.mambair.udfs.restore;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.InferenceSession;
import io.mambair.runtime.engine.SessionPool;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.npy.Npy;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;
import io.mambair.runtime.testing.SharedData;
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
 * every session is freed once the cache closes, and the process's resident memory returns to where it started.
 */
class ModelCacheEvictionTest {
    private static final List<String> FIXTURES = List.of("light_sr_x4", "car_gray", "color_dn");
    private static final int THREADS = 8;
    private static final int ROUNDS = 3;
    private static final RestoreOptions WHOLE = RestoreOptions.defaults().withTileMode(TileMode.WHOLE);

    private record Case(String model, PlanarImage input, float[] expected) {}

    @Test
    void concurrentRestoresStayRightWhileTheCacheEvictsAndClosesSessions() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String f : FIXTURES) {
            Path dir = SharedData.fixture(f);
            Npy.FloatArray in = Npy.read(dir.resolve("input.npy"));
            long[] s = in.shape();
            cases.add(new Case(dir.resolve("model.pth").toString(), new PlanarImage((int) s[1], (int) s[2], (int) s[3], in.data()),
                    Npy.read(dir.resolve("output.npy")).data()));
        }
        Set<InferenceSession> seen = ConcurrentHashMap.newKeySet();
        try (ModelCache warm = new ModelCache(1)) {  // loads ONNX Runtime, the scan library and the JIT'd paths once
            for (Case c : cases) churn(warm, c, seen);
        }
        long[] baseline = settledMemoryKiB();

        ModelCache cache = new ModelCache(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Float>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            results.add(pool.submit(() -> {
                float worst = 0;
                for (int i = 0; i < ROUNDS * cases.size(); i++) worst = Math.max(worst, churn(cache, cases.get((first + i) % cases.size()), seen));
                return worst;
            }));
        }
        float worst = 0;
        for (Future<Float> r : results) worst = Math.max(worst, r.get());
        pool.shutdown();
        int built = cache.sessionsBuilt();
        cache.close();
        long[] after = settledMemoryKiB();

        assertTrue(worst <= 1e-4f, "max abs diff to the official outputs " + worst);
        assertTrue(built > cases.size(), "the one-session cache evicted and rebuilt sessions: built " + built);
        assertEquals(0, cache.size());
        for (InferenceSession s : seen) assertTrue(s.isReleased(), "a session outlived its cache");
        long growth = after[1] - baseline[1];
        System.out.printf("ModelCacheEvictionTest: %d sessions built and closed under %d threads; after warm-up RSS %d KiB"
                        + " (outside the Java heap %d KiB), after close RSS %d KiB (outside the Java heap %d KiB, %+d KiB)%n",
                built, THREADS, baseline[0], baseline[1], after[0], after[1], growth);
        // one leaked session of these models holds its initializers and its CPU arena, several MiB
        assertTrue(growth < 16 * 1024, "native memory grew by " + growth + " KiB after " + built + " sessions were closed");
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

    /** After garbage collection: the resident set, and the resident set less the committed Java heap (native memory). */
    private static long[] settledMemoryKiB() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                long rss = Long.parseLong(line.replaceAll("\\D", ""));
                return new long[] {rss, rss - heap};
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
