package io.mambair.runtime.scan;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native {@code io.mambair::SelectiveScan2D} operator against the official SS2D data flow computed with the
 * float64 reference: four sequences (row-major, column-major, and both reversed), one scan each, merged as
 * {@code y0 + flip(y2) + T(y1) + T(flip(y3))}.
 */
class SelectiveScan2DTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final List<String> INPUTS = FusedScanContract.SELECTIVE_SCAN_2D.inputs();

    @ParameterizedTest(name = "B {0} E {1} N {2} H {3} W {4}")
    @CsvSource({
        "1, 16, 10, 1, 1",     // one position
        "2, 20, 10, 5, 7",     // light-SR states, partial SIMD block, H != W
        "1, 36, 16, 9, 4",     // classic-SR states, tall grid
        "1, 8, 7, 3, 70",      // a state count without a specialised kernel, L over one tile
    })
    void matchesTheOfficialFourDirectionScan(int batch, int e, int n, int h, int w) throws Exception {
        int l = h * w;
        ScanInputs official = ScanInputs.random(new ScanShape(batch, 4 * e, n, 4, l), 11L * e + n, -1f, 1f);
        float[] grid = ScanInputs.random(new ScanShape(batch, e, n, 4, l), 5, 0f, 1f).u();   // u (B,E,H,W)
        float[] xs = new float[official.u().length];
        float[] delta = new float[official.delta().length];
        float[] bs = new float[official.bs().length];
        float[] cs = new float[official.cs().length];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < 4; k++) {
                for (int t = 0; t < l; t++) {
                    int p = position(k, t, h, w);
                    for (int c = 0; c < e; c++) {
                        int seq = ((b * 4 + k) * e + c) * l;
                        xs[seq + t] = grid[(b * e + c) * l + p];
                        delta[seq + p] = official.delta()[seq + t];
                    }
                    for (int s = 0; s < n; s++) {
                        int row = ((b * 4 + k) * n + s) * l;
                        bs[row + p] = official.bs()[row + t];
                        cs[row + p] = official.cs()[row + t];
                    }
                }
            }
        }
        double[] y = SelectiveScanReference.scan(new ScanInputs(official.shape(), xs, official.delta(), official.a(),
                official.bs(), official.cs(), official.ds(), official.deltaBias()));
        double[] expected = new double[batch * l * e];   // (B,H,W,E)
        double scale = 0;
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < 4; k++) {
                for (int t = 0; t < l; t++) {
                    for (int c = 0; c < e; c++) {
                        expected[(b * l + position(k, t, h, w)) * e + c] += y[((b * 4 + k) * e + c) * l + t];
                    }
                }
            }
        }
        for (double v : expected) scale = Math.max(scale, Math.abs(v));

        float[] actual = run(Map.of("u", tensor(grid, batch, e, h, w), "delta", tensor(delta, batch, 4, e, l),
                "A", tensor(official.a(), 4L * e, n), "Bs", tensor(bs, batch, 4, n, l), "Cs", tensor(cs, batch, 4, n, l),
                "Ds", tensor(official.ds(), 4L * e), "delta_bias", tensor(official.deltaBias(), 4L * e)));
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= 2e-5 * Math.max(1, scale), "max abs diff " + worst + " at output scale " + scale);
    }

    @Test
    void aDeltaOfTheWrongShapeIsAClearError() throws Exception {
        int e = 4, n = 2, h = 2, w = 3;
        OrtException error = assertThrows(OrtException.class, () -> run(Map.of("u", tensor(new float[e * h * w], 1, e, h, w),
                "delta", tensor(new float[4 * e * 5], 1, 4, e, 5), "A", tensor(new float[4 * e * n], 4L * e, n),
                "Bs", tensor(new float[4 * n * 6], 1, 4, n, 6), "Cs", tensor(new float[4 * n * 6], 1, 4, n, 6),
                "Ds", tensor(new float[4 * e], 4L * e), "delta_bias", tensor(new float[4 * e], 4L * e))));
        assertTrue(error.getMessage().contains("SelectiveScan2D: delta (1, 4, 4, 5) must be (B, 4, E, H*W)"), error.getMessage());
    }

    /** Grid position (row-major) visited at step t by the official direction k. */
    private static int position(int k, int t, int h, int w) {
        int step = k < 2 ? t : h * w - 1 - t;
        return k % 2 == 0 ? step : (step % h) * w + step / h;
    }

    private static OnnxTensor tensor(float[] values, long... dims) throws OrtException {
        return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(values), dims);
    }

    private static float[] run(Map<String, OnnxTensor> feeds) throws OrtException {
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("scan2d")
                .addNode(FusedScanContract.SELECTIVE_SCAN_2D.node("scan2d", INPUTS, "y"));
        for (String name : INPUTS) graph.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(floatTensor()));
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(floatTensor()));
        byte[] model = OnnxMl.ModelProto.newBuilder().setIrVersion(9)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(20))
                .addOpsetImport(FusedScanContract.opsetImport()).setGraph(graph).build().toByteArray();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.registerCustomOpLibrary(TestRequirements.fusedScanLibrary().toString());
            options.setIntraOpNumThreads(2);
            try (OrtSession session = ENV.createSession(model, options); OrtSession.Result r = session.run(new LinkedHashMap<>(feeds))) {
                FloatBuffer y = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[y.remaining()];
                y.get(out);
                return out;
            } finally {
                feeds.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static OnnxMl.TypeProto floatTensor() {
        return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)).build();
    }
}
