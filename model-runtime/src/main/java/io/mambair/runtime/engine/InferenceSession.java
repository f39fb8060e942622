package io.mambair.runtime.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.scan.FusedScanLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * One ONNX Runtime session over a MambaIR graph, on the device that could actually start. Thread-safe:
 * ONNX Runtime sessions may be run concurrently.
 */
public final class InferenceSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceSession.class);
    private final OrtSession session;
    private final String device;

    private InferenceSession(OrtSession session, String device) {
        this.session = session;
        this.device = device;
    }

    /** A float32 NCHW tensor as returned by {@link #run}. */
    public record Output(long[] shape, float[] data) {}

    /**
     * Opens a session on {@code requested}: CUDA is tried by adding its provider with {@code requested.cuda()}'s
     * settings (never decided from the compiled-in provider list); when it cannot start, one warning and the CPU.
     */
    public static InferenceSession open(byte[] onnx, ScanFormulation scan, Device requested, int intraOpThreads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
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
            String device = "cpu";
            OrtCUDAProviderOptions cuda = null;  // ORT copies it into the session: closed once the session exists
            try {
                if (requested.wantsCuda()) {
                    try {
                        cuda = new OrtCUDAProviderOptions(requested.ordinal());
                        for (Map.Entry<String, String> option : requested.cuda().providerOptions().entrySet()) {
                            cuda.add(option.getKey(), option.getValue());
                        }
                        opts.addCUDA(cuda);
                        device = "cuda:" + requested.ordinal();
                    } catch (OrtException | RuntimeException e) {
                        LOG.warn("CUDA device {} could not start ({}); running on the CPU", requested.ordinal(), firstLine(e.getMessage()));
                    }
                }
                return new InferenceSession(env.createSession(onnx, opts), device);
            } finally {
                if (cuda != null) cuda.close();
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "no message";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The device this session runs on, e.g. "cpu" or "cuda:0". */
    public String device() { return device; }

    /** Runs the model on a float32 NCHW batch. */
    public Output run(float[] nchw, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), shape);
             OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), in))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] outShape = out.getInfo().getShape();
            FloatBuffer fb = out.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            return new Output(outShape, data);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
