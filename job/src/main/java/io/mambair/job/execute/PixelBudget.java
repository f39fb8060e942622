package io.mambair.job.execute;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-executor bound {@code restore.max-pixels-in-flight}: the input pixels of the model batches
 * that the tasks of one executor JVM may run at once (what the model's activations scale with).
 * A restore waits until its batch fits; a batch larger than the whole bound is refused up front
 * ({@link ModelStage} sizes each batch from the plan the runtime executes).
 */
public final class PixelBudget {
    private static final Map<Long, PixelBudget> BY_LIMIT = new ConcurrentHashMap<>();
    private final long limit;
    private final Semaphore permits;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    private PixelBudget(long limit) {
        this.limit = limit;
        this.permits = new Semaphore(Math.toIntExact(limit), true);
    }

    /** The budget of this JVM for {@code limit} pixels (one per distinct limit, shared by all tasks). */
    public static PixelBudget of(long limit) {
        return BY_LIMIT.computeIfAbsent(limit, PixelBudget::new);
    }

    public long limit() { return limit; }

    /** The most pixels that were in flight at once in this JVM. */
    public long peak() { return peak.get(); }

    /** Takes {@code pixels} (at most {@link #limit()}) until the returned lease is closed. */
    public Lease acquire(long pixels) {
        if (pixels > limit) throw new IllegalArgumentException(pixels + " pixels exceed the budget of " + limit);
        try {
            permits.acquire(Math.toIntExact(pixels));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for restore.max-pixels-in-flight");
        }
        long now = inFlight.addAndGet(pixels);
        peak.accumulateAndGet(now, Math::max);
        return () -> {
            inFlight.addAndGet(-pixels);
            permits.release(Math.toIntExact(pixels));
        };
    }

    /** Pixels held by one restore; closing returns them. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
