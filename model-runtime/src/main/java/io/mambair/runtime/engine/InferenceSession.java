package io.mambair.runtime.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.scan.FusedScanLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One ONNX Runtime session over a MambaIR graph, on the device that could actually start, together with the
 * {@code SessionOptions} it was made from (ONNX Runtime requires options, and the custom-op library they
 * loaded, to outlive the session). Thread-safe: runs may overlap. {@link #close()} never frees a session that
 * is running: the native objects are released when the last run in progress ends, and later runs fail.
 */
public final class InferenceSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceSession.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final String device;
    private final ScanFormulation scan;
    private int running;
    private boolean closing;
    private boolean released;
    private volatile boolean broken;

    private InferenceSession(OrtSession.SessionOptions options, OrtSession session, String device, ScanFormulation scan) {
        this.options = options;
        this.session = session;
        this.device = device;
        this.scan = scan;
    }

    /** A float32 NCHW tensor as returned by {@link #run}. */
    public record Output(long[] shape, float[] data) {}

    /**
     * Opens a session on {@code requested} ({@link DeviceSelector}: an explicit GPU that cannot start is a
     * {@link DeviceUnavailableException}). AUTO falls back to the CPU when the CUDA provider cannot be added, when
     * the session cannot be created on it (driver present, device unusable), and when this GPU had a device fault
     * earlier in this process ({@link DeviceFaults}); the last two with one WARN each.
     */
    public static InferenceSession open(byte[] onnx, ScanFormulation scan, Device requested, int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions opts = options(scan, intraOpThreads);
        try {
            String device = DeviceSelector.apply(opts, requested);
            if (device.equals("cpu") || requested.gpuRequired()) {
                return new InferenceSession(opts, OrtEnvironment.getEnvironment().createSession(onnx, opts), device, scan);
            }
            Optional<String> fault = DeviceFaults.of(device);
            if (fault.isPresent()) {
                warnOnce("device auto: cpu (" + device + " had a device fault in this process, which leaves its CUDA context"
                        + " unusable until the process ends: " + fault.get() + ")");
            } else {
                try {
                    return new InferenceSession(opts, OrtEnvironment.getEnvironment().createSession(onnx, opts), device, scan);
                } catch (OrtException | RuntimeException e) {
                    warnOnce("device auto: cpu (" + device + "'s CUDA provider started, but a session could not be created on it: "
                            + DeviceSelector.firstLine(e.getMessage()) + ")");
                }
            }
            opts.close();
            opts = options(scan, intraOpThreads);
            return new InferenceSession(opts, OrtEnvironment.getEnvironment().createSession(onnx, opts), "cpu", scan);
        } catch (OrtException | RuntimeException e) {
            opts.close();
            throw e;
        }
    }

    private static OrtSession.SessionOptions options(ScanFormulation scan, int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        try {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) opts.setIntraOpNumThreads(intraOpThreads);
            // Idle pool threads sleep instead of spinning: Spark runs several sessions per executor, and a
            // spinning pool burned 30-50% more CPU per tile on the loaded 2-core machine for no faster result.
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            if (scan == ScanFormulation.FUSED) {
                Path lib = FusedScanLibrary.path().orElseThrow(() -> new IllegalStateException(
                        "the fused selective-scan library is not available on this platform; use scan=standard"));
                opts.registerCustomOpLibrary(lib.toString());
            }
            return opts;
        } catch (OrtException | RuntimeException e) {
            opts.close();
            throw e;
        }
    }

    private static void warnOnce(String message) {
        if (WARNED.add(message)) LOG.warn(message);
    }

    /** The device this session runs on, e.g. "cpu" or "cuda:0". */
    public String device() { return device; }

    /** The scan formulation of the graph this session runs. */
    public ScanFormulation scan() { return scan; }

    /**
     * Runs the model on a float32 NCHW batch.
     *
     * @throws IllegalStateException when the session has been closed
     * @throws DeviceFaultException when the GPU had a device fault (the session is {@link #isBroken() broken})
     */
    public Output run(float[] nchw, long[] shape) throws OrtException {
        enter();
        try {
            return runEntered(nchw, shape);
        } catch (OrtException e) {
            if (device.equals("cpu") || !DeviceFaults.isFault(e.getMessage())) throw e;
            String reason = DeviceSelector.firstLine(e.getMessage());
            markBroken();
            DeviceFaults.record(device, reason);
            throw new DeviceFaultException(device, reason);
        } finally {
            exit();
        }
    }

    /** True once a run had a device fault: the session must not be used again (a pool rebuilds it). */
    public boolean isBroken() { return broken; }

    /** Marks the session unusable (a device fault in one of its runs). */
    void markBroken() { broken = true; }

    private Output runEntered(float[] nchw, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), shape);
             OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), in))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] outShape = out.getInfo().getShape();
            // the copy ORT makes on the heap is the output itself (no second copy)
            FloatBuffer fb = out.getFloatBuffer();
            if (fb.hasArray() && fb.arrayOffset() == 0 && fb.position() == 0 && fb.array().length == fb.remaining()) {
                return new Output(outShape, fb.array());
            }
            float[] data = new float[fb.remaining()];
            fb.get(data);
            return new Output(outShape, data);
        }
    }

    private synchronized void enter() {
        if (closing) throw new IllegalStateException("the ONNX Runtime session on " + device + " is closed");
        running++;
    }

    private void exit() throws OrtException {
        synchronized (this) {
            running--;
            if (!closing || running > 0 || released) return;
            released = true;
        }
        release();
    }

    /** True once the native session and its options have been freed. */
    public synchronized boolean isReleased() { return released; }

    /** Refuses new runs; frees the native session and options now, or when the last run in progress ends. */
    @Override
    public void close() throws OrtException {
        synchronized (this) {
            closing = true;
            if (running > 0 || released) return;
            released = true;
        }
        release();
    }

    private void release() throws OrtException {
        try {
            session.close();
        } finally {
            options.close();
        }
    }
}
