package io.mambair.runtime.engine;

import ai.onnx.proto.OnnxMl;
import io.mambair.runtime.graph.ScanFormulation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lifetimes of pooled ONNX Runtime sessions (real sessions over a one-node Identity graph). */
class SessionPoolTest {
    private static final byte[] IDENTITY = identityModel();

    private static ModelSession open() throws Exception {
        return new ModelSession(InferenceSession.open(IDENTITY, ScanFormulation.STANDARD, Device.cpu(), 1), null);
    }

    @Test
    void concurrentCallersOfOneKeyShareOneBuild() throws Exception {
        try (SessionPool<String> pool = new SessionPool<>(4)) {
            AtomicInteger opened = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<InferenceSession>> got = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(threads.submit(() -> {
                    start.await();
                    try (SessionPool<String>.Lease lease = pool.lease("m", () -> {
                        opened.incrementAndGet();
                        Thread.sleep(300);
                        return open();
                    })) {
                        return lease.session();
                    }
                }));
            }
            start.countDown();
            InferenceSession first = got.get(0).get();
            for (Future<InferenceSession> f : got) assertSame(first, f.get());
            threads.shutdown();
            assertEquals(1, opened.get());
            assertEquals(1, pool.sessionsBuilt());
        }
    }

    @Test
    void aSessionBrokenByADeviceFaultIsRebuiltByTheNextLeaseAndClosedWhenItsLastUserLeaves() throws Exception {
        try (SessionPool<String> pool = new SessionPool<>(4)) {
            SessionPool<String>.Lease held = pool.lease("m", SessionPoolTest::open);
            InferenceSession broken = held.session();
            broken.markBroken();
            try (SessionPool<String>.Lease next = pool.lease("m", SessionPoolTest::open)) {
                assertFalse(next.session() == broken, "the broken session was handed out again");
                assertFalse(next.session().isBroken());
                assertEquals(2, pool.sessionsBuilt());
                assertFalse(broken.isReleased(), "closed while a lease still held it");
                held.close();
                assertTrue(broken.isReleased(), "the broken session outlived its last lease");
            }
            try (SessionPool<String>.Lease again = pool.lease("m", SessionPoolTest::open)) {
                assertEquals(2, pool.sessionsBuilt(), "a healthy session is reused");
            }
        }
    }

    @Test
    void aSlowBuildDoesNotBlockOtherKeys() throws Exception {
        try (SessionPool<String> pool = new SessionPool<>(4)) {
            CountDownLatch building = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService slow = Executors.newSingleThreadExecutor();
            Future<?> blocked = slow.submit(() -> pool.lease("slow", () -> {
                building.countDown();
                release.await();
                return open();
            }).close());
            assertTrue(building.await(30, TimeUnit.SECONDS));
            try (SessionPool<String>.Lease other = pool.lease("fast", SessionPoolTest::open)) {
                assertFalse(other.session().isReleased());
                assertFalse(blocked.isDone(), "the slow key is still building while the other was served");
            } finally {
                release.countDown();
            }
            blocked.get(30, TimeUnit.SECONDS);
            slow.shutdown();
        }
    }

    @Test
    void anEvictedSessionClosesWhenItsLastLeaseIsReleasedNeverBefore() throws Exception {
        try (SessionPool<String> pool = new SessionPool<>(1)) {
            SessionPool<String>.Lease held = pool.lease("a", SessionPoolTest::open);
            InferenceSession a = held.session();
            InferenceSession b;
            try (SessionPool<String>.Lease other = pool.lease("b", SessionPoolTest::open)) {
                b = other.session();
            }
            assertEquals(1, pool.size(), "a was evicted for b");
            assertFalse(a.isReleased(), "an evicted session in use stays open");
            float[] x = {1f, 2f, 3f};
            assertArrayEquals(x, a.run(x, new long[] {1, 3}).data());
            held.close();
            assertTrue(a.isReleased(), "closed with its last lease");
            assertThrows(IllegalStateException.class, () -> a.run(x, new long[] {1, 3}));
            held.close();  // idempotent: does not release another user's hold
            assertFalse(b.isReleased(), "b is idle but within capacity");
        }
    }

    @Test
    void anIdleSessionBeyondCapacityClosesAtOnceAndIsRebuiltOnDemand() throws Exception {
        try (SessionPool<String> pool = new SessionPool<>(1)) {
            InferenceSession a;
            try (SessionPool<String>.Lease lease = pool.lease("a", SessionPoolTest::open)) {
                a = lease.session();
            }
            pool.lease("b", SessionPoolTest::open).close();
            assertTrue(a.isReleased());
            try (SessionPool<String>.Lease again = pool.lease("a", SessionPoolTest::open)) {
                assertFalse(again.session().isReleased());
            }
            assertEquals(3, pool.sessionsBuilt());
        }
    }

    @Test
    void aFailedBuildReachesItsCallerAndTheNextCallRetries() throws Exception {
        try (SessionPool<String> pool = new SessionPool<>(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> pool.lease("m", () -> { throw new IllegalStateException("no such model"); }));
            assertEquals("no such model", e.getMessage());
            assertEquals(0, pool.size());
            try (SessionPool<String>.Lease lease = pool.lease("m", SessionPoolTest::open)) {
                assertFalse(lease.session().isReleased());
            }
        }
    }

    @Test
    void closingThePoolKeepsLeasedSessionsOpenUntilReleased() throws Exception {
        SessionPool<String> pool = new SessionPool<>(2);
        SessionPool<String>.Lease held = pool.lease("a", SessionPoolTest::open);
        InferenceSession idle;
        try (SessionPool<String>.Lease lease = pool.lease("b", SessionPoolTest::open)) {
            idle = lease.session();
        }
        pool.close();
        assertTrue(idle.isReleased());
        assertFalse(held.session().isReleased());
        held.close();
        assertTrue(held.session().isReleased());
        assertThrows(IllegalStateException.class, () -> pool.lease("a", SessionPoolTest::open));
    }

    private static byte[] identityModel() {
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .setShape(OnnxMl.TensorShapeProto.newBuilder()
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("n"))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("c")))).build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("identity")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("y"))
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(type)).build();
        return OnnxMl.ModelProto.newBuilder().setIrVersion(9).setGraph(graph)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(20)).build().toByteArray();
    }
}
