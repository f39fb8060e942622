package io.mambair.udfs.restore;

import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.ModelSession;
import io.mambair.runtime.engine.ScanChoice;
import io.mambair.runtime.engine.ScanMode;
import io.mambair.runtime.engine.SessionPool;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.model.ResolvedModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The sessions of models named by path (the SQL {@code restore} function's): a bounded least-recently-used pool
 * keyed by (file, size, modification time, device), so a replaced file is read again. Each model is resolved in
 * this process with the scan it can run here; its ONNX bytes are dropped once its session is built. Evicted
 * sessions close when their last restore ends.
 */
public final class ModelCache implements AutoCloseable {
    /** Sessions kept when no setting says otherwise. */
    public static final int DEFAULT_MAX_SESSIONS = 4;
    private static final ModelCache SHARED = new ModelCache(DEFAULT_MAX_SESSIONS);

    private final SessionPool<String> pool;

    /** A cache keeping at most {@code maxSessions} idle sessions. */
    public ModelCache(int maxSessions) {
        pool = new SessionPool<>(maxSessions);
    }

    /** This JVM's cache, the SQL function's. */
    public static ModelCache shared() { return SHARED; }

    /** Changes how many sessions are kept (at least 1). */
    public void setMaxSessions(int maxSessions) { pool.setCapacity(maxSessions); }

    /** A lease on the session of the checkpoint or .onnx file {@code path} on {@code device} under scan auto; close it when done. */
    public SessionPool<String>.Lease lease(String path, Device device) {
        return lease(path, ScanMode.AUTO, device);
    }

    /**
     * A lease on the session of the checkpoint or .onnx file {@code path} with the formulation {@code scan} picks
     * ({@link ScanChoice}) on {@code device}; close it when done.
     */
    public SessionPool<String>.Lease lease(String path, ScanMode scan, Device device) {
        Path file = Path.of(path).toAbsolutePath();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + path + ": " + e.getMessage(), e);
        }
        String key = file + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis() + "|" + scan + "|" + device;
        return pool.lease(key, () -> {
            ResolvedModel model;
            try {
                model = switch (scan) {
                    case FUSED -> ResolvedModel.resolve(file, ScanFormulation.FUSED);
                    case STANDARD -> ResolvedModel.resolve(file, ScanFormulation.STANDARD);
                    // on a GPU auto may need the standard graph when the fused operator fails its self-test
                    case AUTO -> device.wantsCuda() ? ResolvedModel.resolve(file) : ResolvedModel.resolve(file, ScanChoice.here());
                };
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load model " + path + ": " + e.getMessage(), e);
            }
            return ModelSession.open(model, ScanChoice.choose(model.scans(), scan, device), device);
        });
    }

    /** Sessions held now, leased or idle. */
    public int size() { return pool.size(); }

    /** Sessions built so far. */
    public int sessionsBuilt() { return pool.sessionsBuilt(); }

    /** Evicts every session: idle ones close now, leased ones when their restore ends. */
    @Override
    public void close() { pool.close(); }
}
