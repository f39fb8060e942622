package io.mambair.runtime.engine;

import io.mambair.runtime.restore.Restorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded least-recently-used set of reference-counted {@link ModelSession}s by key. Each key's session is
 * built once, outside the pool's lock (other callers of that key wait for it, other keys proceed); every user
 * holds a {@link Lease}. A session evicted (beyond the capacity, or at {@link #close()}) is closed when its last
 * lease is released, never while one is held. A session that had a device fault ({@link InferenceSession#isBroken()})
 * is evicted by the next lease of its key, which builds a new one. Thread-safe.
 */
public final class SessionPool<K> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPool.class);
    private final Map<K, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicInteger built = new AtomicInteger();
    private volatile int capacity;
    private boolean closed;

    /** A pool keeping at most {@code capacity} sessions that no lease holds. */
    public SessionPool(int capacity) {
        setCapacity(capacity);
    }

    private static final class Slot {
        final CompletableFuture<ModelSession> value = new CompletableFuture<>();
        int leases;
        boolean evicted;
    }

    /** One user's hold on a pooled session; close it when done (idempotent). */
    public final class Lease implements AutoCloseable {
        private final Slot slot;
        private final ModelSession value;
        private boolean released;

        private Lease(Slot slot, ModelSession value) {
            this.slot = slot;
            this.value = value;
        }

        /** The restorer over the leased session. */
        public Restorer restorer() { return value.restorer(); }

        /** The leased session. */
        public InferenceSession session() { return value.session(); }

        @Override
        public void close() {
            synchronized (SessionPool.this) {
                if (released) return;
                released = true;
            }
            release(slot);
        }
    }

    /** Changes the capacity (at least 1); sessions beyond it are evicted at the next {@link #lease}. */
    public void setCapacity(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("a session pool holds at least 1 session, got " + capacity);
        this.capacity = capacity;
    }

    /**
     * A lease on {@code key}'s session, opening it with {@code opener} when the pool has none. An opener's failure
     * is thrown to every caller waiting for that key, and the next call tries again.
     */
    public Lease lease(K key, Callable<ModelSession> opener) {
        Slot slot;
        boolean build = false;
        List<Slot> toClose;
        synchronized (this) {
            if (closed) throw new IllegalStateException("the session pool is closed");
            slot = slots.get(key);
            List<Slot> broken = new ArrayList<>();
            if (slot != null && isBroken(slot)) {  // a device fault: later users get a new session
                slots.remove(key);
                slot.evicted = true;
                if (slot.leases == 0) broken.add(slot);
                slot = null;
            }
            if (slot == null) {
                slot = new Slot();
                slots.put(key, slot);
                build = true;
            }
            slot.leases++;
            toClose = evictBeyondCapacity();
            toClose.addAll(broken);
        }
        closeAll(toClose);
        if (build) open(key, slot, opener);
        try {
            return new Lease(slot, slot.value.join());
        } catch (CompletionException e) {
            release(slot);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    private void open(K key, Slot slot, Callable<ModelSession> opener) {
        try {
            slot.value.complete(opener.call());
            built.incrementAndGet();
        } catch (Throwable e) {
            synchronized (this) {
                slots.remove(key, slot);
            }
            slot.value.completeExceptionally(e);
        }
    }

    private static boolean isBroken(Slot slot) {
        return slot.value.isDone() && !slot.value.isCompletedExceptionally() && slot.value.join().session().isBroken();
    }

    private List<Slot> evictBeyondCapacity() {
        List<Slot> toClose = new ArrayList<>();
        Iterator<Slot> eldestFirst = slots.values().iterator();
        while (slots.size() > capacity && eldestFirst.hasNext()) {
            Slot s = eldestFirst.next();
            eldestFirst.remove();
            s.evicted = true;
            if (s.leases == 0) toClose.add(s);
        }
        return toClose;
    }

    private void release(Slot slot) {
        boolean close;
        synchronized (this) {
            slot.leases--;
            close = slot.leases == 0 && slot.evicted;
        }
        if (close) closeAll(List.of(slot));
    }

    private static void closeAll(List<Slot> evicted) {
        for (Slot s : evicted) {
            if (!s.value.isDone() || s.value.isCompletedExceptionally()) continue;  // a failed build: nothing was opened
            ModelSession value = s.value.join();
            try {
                value.session().close();
            } catch (Exception e) {
                LOG.warn("closing an evicted ONNX Runtime session failed: {}", e.toString());
            }
        }
    }

    /** Sessions this pool holds now (leased or idle). */
    public synchronized int size() { return slots.size(); }

    /** Sessions this pool has built so far. */
    public int sessionsBuilt() { return built.get(); }

    /** Evicts every session: idle ones close now, leased ones when their last lease is released. */
    @Override
    public void close() {
        List<Slot> toClose = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Slot s : slots.values()) {
                s.evicted = true;
                if (s.leases == 0) toClose.add(s);
            }
            slots.clear();
        }
        closeAll(toClose);
    }
}
