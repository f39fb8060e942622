package io.mambair.job.memory;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-executor heap budget {@code restore.memory-budget}: bytes that the images of all tasks of
 * one JVM may hold at once from decode to write. Each image reserves its predicted footprint
 * ({@link ImageFootprint}) before it is decoded and releases it after its row is made. Waiting is
 * first come, first served: while an image waits, no later reservation overtakes it.
 */
public final class MemoryBudget {
    private static final Map<Long, MemoryBudget> BY_LIMIT = new ConcurrentHashMap<>();
    private final long limit;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private long used;
    private long peak;
    private long waits;

    /** A budget of its own of {@code limit} bytes (the job uses {@link #of}, one per JVM). */
    public MemoryBudget(long limit) {
        if (limit <= 0) throw new IllegalArgumentException("memory budget must be positive, got " + limit);
        this.limit = limit;
    }

    /** The budget of this JVM for {@code limit} bytes (one per distinct limit, shared by all tasks). */
    public static MemoryBudget of(long limit) {
        return BY_LIMIT.computeIfAbsent(limit, MemoryBudget::new);
    }

    public long limit() { return limit; }

    /** The most bytes reserved at once in this JVM. */
    public synchronized long peak() { return peak; }

    /** How many reservations had to wait for budget. */
    public synchronized long waits() { return waits; }

    /** Bytes reserved now. */
    public synchronized long used() { return used; }

    /** {@code bytes} reserved now, or null when they do not fit or an earlier reservation is waiting. */
    public synchronized Reservation tryReserve(long bytes) {
        check(bytes);
        if (!waiting.isEmpty() || used + bytes > limit) return null;
        return take(bytes);
    }

    /**
     * Waits until {@code bytes} fit, in arrival order. The caller must hold no reservation of its own,
     * so that every waiter is waiting for images that are making progress.
     */
    public synchronized Reservation reserve(long bytes) {
        check(bytes);
        Object ticket = new Object();
        waiting.add(ticket);
        try {
            if (waiting.peek() != ticket || used + bytes > limit) waits++;
            while (waiting.peek() != ticket || used + bytes > limit) wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for restore.memory-budget");
        } finally {
            waiting.remove(ticket);
            notifyAll();
        }
        return take(bytes);
    }

    private void check(long bytes) {
        if (bytes < 0 || bytes > limit) {
            throw new IllegalArgumentException(bytes + " bytes exceed the memory budget of " + limit);
        }
    }

    private Reservation take(long bytes) {
        used += bytes;
        peak = Math.max(peak, used);
        return new Reservation(this, bytes);
    }

    private synchronized void release(long bytes) {
        used -= bytes;
        notifyAll();
    }

    /** Bytes held by one image; closing (once or more) returns them. */
    public static final class Reservation implements AutoCloseable {
        private final MemoryBudget budget;
        private final long bytes;
        private boolean closed;

        private Reservation(MemoryBudget budget, long bytes) {
            this.budget = budget;
            this.bytes = bytes;
        }

        public long bytes() { return bytes; }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            budget.release(bytes);
        }
    }
}
