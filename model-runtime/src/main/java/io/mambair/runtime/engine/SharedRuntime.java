package io.mambair.runtime.engine;

import ai.onnxruntime.OrtException;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TiledRestorer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One restorer per (model SHA-256, device) per JVM: built lazily on first use, shared by every
 * thread (ONNX Runtime sessions are safe to run concurrently), closed at JVM shutdown. An ONNX
 * session takes any tile shape, so one session serves every tile shape of a model.
 */
public final class SharedRuntime {
    private static final Map<String, Entry> RESTORERS = new ConcurrentHashMap<>();
    private static final AtomicInteger BUILT = new AtomicInteger();
    private static final int THREADS = Integer.getInteger("mambair.intraOpThreads", 0);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedRuntime::closeAll, "mambair-runtime-close"));
    }

    private record Entry(InferenceSession session, Restorer restorer) {}

    private SharedRuntime() {}

    /** The restorer for {@code model} on {@code device}, building its session on first use. */
    public static Restorer get(ResolvedModel model, Device device) {
        return RESTORERS.computeIfAbsent(model.sha256() + "|" + model.scan() + "|" + device + "|" + device.cuda(), k -> open(model, device)).restorer();
    }

    private static Entry open(ResolvedModel model, Device device) {
        try {
            InferenceSession session = InferenceSession.open(model.onnx(), model.scan(), device, THREADS);
            BUILT.incrementAndGet();
            return new Entry(session, new TiledRestorer(new SessionTileModel(session), model.config(), session.device()));
        } catch (OrtException e) {
            throw new IllegalStateException("could not start ONNX Runtime for model " + model.name() + ": " + e.getMessage(), e);
        }
    }

    /** ONNX Runtime sessions built in this JVM so far. */
    public static int sessionsBuilt() { return BUILT.get(); }

    private static void closeAll() {
        for (Entry e : RESTORERS.values()) {
            try {
                e.session().close();
            } catch (OrtException | RuntimeException ignored) {
                // the JVM is exiting; nothing useful can be done with a close failure
            }
        }
        RESTORERS.clear();
    }
}
