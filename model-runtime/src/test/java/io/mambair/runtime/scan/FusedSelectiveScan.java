package io.mambair.runtime.scan;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the fused {@link FusedScanContract#SELECTIVE_SCAN} on its own through ONNX Runtime (a one-node session), for a scan
 * kept outside a model graph, benchmarks and checks. Thread-safe; close it to free the session.
 */
public final class FusedSelectiveScan implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;  // owns the loaded library; closed after the session
    private final OrtSession session;

    private FusedSelectiveScan(OrtEnvironment env, OrtSession.SessionOptions options, OrtSession session) {
        this.env = env;
        this.options = options;
        this.session = session;
    }

    /**
     * Opens a session on the CPU with {@code intraOpThreads} threads (0: ONNX Runtime's default, one per
     * physical core).
     *
     * @throws IllegalStateException when no fused library is available on this platform
     */
    public static FusedSelectiveScan open(OrtEnvironment env, int intraOpThreads) throws OrtException {
        Path library = FusedScanLibrary.path().orElseThrow(() -> new IllegalStateException(
                "no fused selective-scan library for " + FusedScanLibrary.platformFolder() + ": "
                        + FusedScanLibrary.absenceReason().orElse("unknown")));
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.registerCustomOpLibrary(library.toString());
            options.setIntraOpNumThreads(intraOpThreads);
            return new FusedSelectiveScan(env, options, env.createSession(SelectiveScanModel.bytes(), options));
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** Returns y (B, D, L) for {@code in}. */
    public float[] run(ScanInputs in) throws OrtException {
        ScanShape s = in.shape();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            feeds.put("u", tensor(in.u(), s.sequenceDims()));
            feeds.put("delta", tensor(in.delta(), s.sequenceDims()));
            feeds.put("A", tensor(in.a(), s.stateMatrixDims()));
            feeds.put("Bs", tensor(in.bs(), s.groupedStateDims()));
            feeds.put("Cs", tensor(in.cs(), s.groupedStateDims()));
            feeds.put("Ds", tensor(in.ds(), s.channelDims()));
            feeds.put("delta_bias", tensor(in.deltaBias(), s.channelDims()));
            try (OrtSession.Result result = session.run(feeds)) {
                FloatBuffer y = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] out = new float[y.remaining()];
                y.get(out);
                return out;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(float[] values, long[] dims) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), dims);
    }

    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            options.close();
        }
    }
}
