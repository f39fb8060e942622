package io.mambair.runtime.scan;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The native operator, run through ONNX Runtime, against the float64 reference. */
class FusedSelectiveScanTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static FusedSelectiveScan scan;

    @BeforeAll
    static void open() throws OrtException {
        if (FusedScanLibrary.path().isPresent()) scan = FusedSelectiveScan.open(ENV, 2);
    }

    @BeforeEach
    void requireLibrary() {
        TestRequirements.fusedScanLibrary();  // per test, so each one is reported skipped (or failed, strict) by name
    }

    @AfterAll
    static void close() throws OrtException {
        if (scan != null) scan.close();
    }

    @ParameterizedTest(name = "B {0} D {1} N {2} G {3} L {4}, delta mean {5}, |A| scale {6}")
    @CsvSource({
        "1, 8, 16, 4, 1, 0, 1",          // one step, two channels per group
        "2, 40, 10, 4, 257, 0, 1",       // light-SR state count, L not a multiple of the tile
        "1, 300, 16, 4, 4096, 0, 1",     // 75 channels per group: partial SIMD blocks; a whole 64x64 tile
        "2, 96, 16, 4, 1000, 0, 1000",   // |A| up to ~1e4: decays underflow to 0
        "1, 48, 10, 4, 500, 60, 1",      // delta far above the softplus threshold
        "1, 48, 16, 4, 500, -30, 1",     // dt ~ 1e-13
        "2, 12, 7, 4, 33, 0, 1"          // a state count without a specialised kernel
    })
    void matchesTheFloat64Reference(int batch, int channels, int states, int groups, int length,
                                    float deltaMean, float aScale) throws OrtException {
        ScanInputs in = ScanInputs.random(new ScanShape(batch, channels, states, groups, length),
                31L * channels + length, deltaMean, aScale);
        assertClose(SelectiveScanReference.scan(in), scan.run(in));
    }

    @Test
    void matchesThePyTorchReferenceCase() throws Exception {
        float[] y = scan.run(SelectiveScanReferenceTest.pytorchCaseInputs());
        float[] expected = SelectiveScanReferenceTest.pytorchCaseOutput();
        double[] reference = new double[expected.length];
        for (int i = 0; i < expected.length; i++) reference[i] = expected[i];
        assertClose(reference, y);
    }

    @Test
    void oneThreadAndTwoThreadsGiveIdenticalResults() throws OrtException {
        ScanInputs in = ScanInputs.random(new ScanShape(2, 64, 16, 4, 300), 7L, 0f, 1f);
        try (FusedSelectiveScan single = FusedSelectiveScan.open(ENV, 1)) {
            assertArrayEquals(single.run(in), scan.run(in));
        }
    }

    @Test
    void mismatchedStateCountIsAClearError() throws OrtException {
        ScanShape shape = new ScanShape(1, 8, 4, 2, 5);
        Map<String, float[]> values = feeds(ScanInputs.random(shape, 1L, 0f, 1f));
        long[][] dims = dims(shape);
        dims[3] = new long[] {1, 2, 3, 5};  // Bs with N = 3 against A's N = 4
        values.put("Bs", new float[30]);
        OrtException e = assertThrows(OrtException.class, () -> runRaw(values, dims));
        assertTrue(e.getMessage().contains("SelectiveScan: Bs (1, 2, 3, 5) must be (B, G, N, L) = (1, G, 4, 5)"),
                e.getMessage());
    }

    @Test
    void groupCountThatDoesNotDivideChannelsIsAClearError() throws OrtException {
        ScanShape shape = new ScanShape(1, 6, 4, 2, 5);
        Map<String, float[]> values = feeds(ScanInputs.random(shape, 1L, 0f, 1f));
        long[][] dims = dims(shape);
        dims[3] = new long[] {1, 4, 4, 5};
        dims[4] = new long[] {1, 4, 4, 5};
        values.put("Bs", new float[80]);
        values.put("Cs", new float[80]);
        OrtException e = assertThrows(OrtException.class, () -> runRaw(values, dims));
        assertTrue(e.getMessage().contains("the group count G = 4 of Bs must divide D = 6"), e.getMessage());
    }

    /** Float32 noise against the float64 reference, relative to the largest output of the case. */
    private static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double scale = 1.0, maxError = 0.0;
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double error = Math.abs(expected[i] - actual[i]);
            if (!(error <= maxError)) {  // NaN counts as worst
                maxError = error;
                worst = i;
            }
        }
        assertTrue(maxError <= 2e-5 * scale, "max |error| " + maxError + " at " + worst + " (expected "
                + expected[worst] + ", got " + actual[worst] + "), output scale " + scale);
    }

    private static Map<String, float[]> feeds(ScanInputs in) {
        Map<String, float[]> values = new LinkedHashMap<>();
        values.put("u", in.u());
        values.put("delta", in.delta());
        values.put("A", in.a());
        values.put("Bs", in.bs());
        values.put("Cs", in.cs());
        values.put("Ds", in.ds());
        values.put("delta_bias", in.deltaBias());
        return values;
    }

    private static long[][] dims(ScanShape s) {
        return new long[][] {s.sequenceDims(), s.sequenceDims(), s.stateMatrixDims(), s.groupedStateDims(),
            s.groupedStateDims(), s.channelDims(), s.channelDims()};
    }

    private static void runRaw(Map<String, float[]> values, long[][] dims) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.registerCustomOpLibrary(TestRequirements.fusedScanLibrary().toString());
            try (OrtSession session = ENV.createSession(SelectiveScanModel.bytes(), options)) {
                Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
                int i = 0;
                try {
                    for (Map.Entry<String, float[]> e : values.entrySet()) {
                        tensors.put(e.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(e.getValue()), dims[i++]));
                    }
                    session.run(tensors).close();
                } finally {
                    tensors.values().forEach(OnnxTensor::close);
                }
            }
        }
    }
}
