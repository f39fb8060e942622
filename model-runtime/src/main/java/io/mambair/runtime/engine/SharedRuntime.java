package io.mambair.runtime.engine;

import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.Restorer;

/**
 * The JVM's sessions for the job and the command line: one per (model SHA-256, scan, device), built on first
 * use, shared by every thread (ONNX Runtime sessions may run concurrently), with the scan formulation chosen by
 * this process ({@link ScanChoice}). An ONNX session takes any tile shape, so one serves every tile shape of a
 * model. At JVM shutdown, idle sessions are closed; sessions still in use are left to the exit.
 */
public final class SharedRuntime {
    private static final SessionPool<String> POOL = new SessionPool<>(Integer.MAX_VALUE);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(POOL::close, "mambair-runtime-close"));
    }

    private SharedRuntime() {}

    /** A lease on the session for {@code model} on {@code device} under scan auto; release it when done with the restorer. */
    public static SessionPool<String>.Lease lease(ResolvedModel model, Device device) {
        return lease(model, ScanMode.AUTO, device);
    }

    /**
     * A lease on the session for {@code model} with the formulation {@code scan} picks ({@link ScanChoice}) on
     * {@code device}; release it when done with the restorer. A session broken by a device fault is rebuilt.
     */
    public static SessionPool<String>.Lease lease(ResolvedModel model, ScanMode scan, Device device) {
        ScanFormulation formulation = ScanChoice.choose(model.scans(), scan, device);
        return POOL.lease(model.sha256() + "|" + formulation + "|" + device + "|" + device.cuda(),
                () -> ModelSession.open(model, formulation, device));
    }

    /** The restorer for {@code model} on {@code device} under scan auto, its session held for the rest of this JVM. */
    public static Restorer get(ResolvedModel model, Device device) {
        return get(model, ScanMode.AUTO, device);
    }

    /** The restorer for {@code model} with {@code scan} on {@code device}, its session held for the rest of this JVM. */
    public static Restorer get(ResolvedModel model, ScanMode scan, Device device) {
        return lease(model, scan, device).restorer();
    }

    /** ONNX Runtime sessions built in this JVM's shared pool so far. */
    public static int sessionsBuilt() { return POOL.sessionsBuilt(); }
}
