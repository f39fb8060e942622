package io.mambair.runtime.scan.cuda;

import io.mambair.runtime.scan.ScanInputs;
import io.mambair.runtime.scan.ScanShape;
import io.mambair.runtime.scan.SelectiveScanReference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inputs of one SelectiveScan2D call in the operator's layouts (u (B,E,H,W), delta (B,4,E,L), A (4E,N),
 * Bs/Cs (B,4,N,L), Ds/delta_bias (4E)) and their float64 reference output y (B,H,W,E), computed by
 * {@link SelectiveScanReference} on the four official visiting orders (row-major, column-major, both reversed).
 */
record Scan2DCase(int batch, int channels, int states, int height, int width, Map<String, float[]> inputs) {

    /**
     * Random inputs: u, Bs, Cs, Ds, delta_bias uniform in [-1, 1], delta uniform in [deltaLow, deltaHigh],
     * A = -exp(uniform in [ln 0.01, ln aMax]) (log-uniform magnitudes up to aMax).
     */
    static Scan2DCase random(int b, int e, int n, int h, int w, double aMax, double deltaLow, double deltaHigh, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int l = h * w;
        Map<String, float[]> in = new LinkedHashMap<>();
        in.put("u", uniform(r, b * e * l, -1, 1));
        in.put("delta", uniform(r, b * 4 * e * l, deltaLow, deltaHigh));
        float[] a = uniform(r, 4 * e * n, Math.log(0.01), Math.log(aMax));
        for (int i = 0; i < a.length; i++) a[i] = (float) -Math.exp(a[i]);
        in.put("A", a);
        in.put("Bs", uniform(r, b * 4 * n * l, -1, 1));
        in.put("Cs", uniform(r, b * 4 * n * l, -1, 1));
        in.put("Ds", uniform(r, 4 * e, -1, 1));
        in.put("delta_bias", uniform(r, 4 * e, -1, 1));
        return new Scan2DCase(b, e, n, h, w, in);
    }

    private static float[] uniform(SplittableRandom r, int size, double low, double high) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) (low + (high - low) * r.nextDouble());
        return v;
    }

    /** Position (row-major index) that direction k visits at step t. */
    static int position(int k, int t, int h, int w) {
        int l = h * w;
        int s = k >= 2 ? l - 1 - t : t;
        return k % 2 == 0 ? s : (s % h) * w + s / h;
    }

    /** The float64 reference y (B, H, W, E). */
    double[] reference() {
        int l = height * width, e = channels, n = states;
        float[] u = inputs.get("u"), delta = inputs.get("delta"), bs = inputs.get("Bs"), cs = inputs.get("Cs");
        float[] xs = new float[batch * 4 * e * l], ds = new float[xs.length], bv = new float[bs.length], cv = new float[cs.length];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < 4; k++) {
                for (int t = 0; t < l; t++) {
                    int p = position(k, t, height, width);
                    for (int c = 0; c < e; c++) {
                        int seq = ((b * 4 + k) * e + c) * l;
                        xs[seq + t] = u[(b * e + c) * l + p];
                        ds[seq + t] = delta[seq + p];
                    }
                    for (int s = 0; s < n; s++) {
                        int row = ((b * 4 + k) * n + s) * l;
                        bv[row + t] = bs[row + p];
                        cv[row + t] = cs[row + p];
                    }
                }
            }
        }
        double[] y = SelectiveScanReference.scan(new ScanInputs(new ScanShape(batch, 4 * e, n, 4, l), xs, ds,
                inputs.get("A"), bv, cv, inputs.get("Ds"), inputs.get("delta_bias")));
        double[] out = new double[batch * l * e];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < 4; k++) {
                for (int t = 0; t < l; t++) {
                    int p = position(k, t, height, width);
                    for (int c = 0; c < e; c++) out[(b * l + p) * e + c] += y[((b * 4 + k) * e + c) * l + t];
                }
            }
        }
        return out;
    }

    /** Writes every input as DIR/NAME.f32 (raw little-endian float32). */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, float[]> input : inputs.entrySet()) writeFloats(dir.resolve(input.getKey() + ".f32"), input.getValue());
    }

    static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        Files.write(file, buffer.array());
    }

    static float[] readFloats(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(values);
        return values;
    }

    /** Largest |expected - actual| over the largest |expected| (the output scale). */
    static double relativeError(double[] expected, float[] actual) {
        if (expected.length != actual.length) throw new AssertionError(actual.length + " values, expected " + expected.length);
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            if (Double.isNaN(actual[i])) worst = Double.POSITIVE_INFINITY;
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return worst / scale;
    }
}
