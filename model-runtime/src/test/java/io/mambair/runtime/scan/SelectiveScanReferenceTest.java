package io.mambair.runtime.scan;

import io.mambair.runtime.npy.Npy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectiveScanReferenceTest {

    /** The PyTorch case of make_reference_case.py (B 2, D 12, G 3, N 5, L 40), with |A| to 1e3 and delta to 1e2. */
    static ScanInputs pytorchCaseInputs() throws IOException {
        return new ScanInputs(new ScanShape(2, 12, 5, 3, 40),
                resource("u"), resource("delta"), resource("A"), resource("Bs"), resource("Cs"), resource("Ds"),
                resource("delta_bias"));
    }

    /** y of the PyTorch case, from mamba_ssm's selective_scan_ref semantics in float64 (stored as float32). */
    static float[] pytorchCaseOutput() throws IOException {
        return resource("y");
    }

    @Test
    void matchesPyTorchSelectiveScanRefOnExtremeInputs() throws IOException {
        double[] y = SelectiveScanReference.scan(pytorchCaseInputs());
        float[] expected = pytorchCaseOutput();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], y[i], 1e-6 * Math.max(1.0, Math.abs(expected[i])), "y[" + i + "]");
        }
    }

    @Test
    void softplusIsTheIdentityAboveTwenty() {
        assertEquals(20.5, SelectiveScanReference.softplus(20.5));
        assertEquals(Math.log(2.0), SelectiveScanReference.softplus(0.0), 1e-15);
        assertEquals(Math.log1p(Math.exp(20.0)), SelectiveScanReference.softplus(20.0));
    }

    @Test
    void singleStateScanFollowsTheClosedForm() {
        // N 1, L 2, bias 0, delta 0 -> dt = ln 2; h1 = dt u1 B1; h2 = e^{dt A} h1 + dt u2 B2
        ScanShape shape = new ScanShape(1, 1, 1, 1, 2);
        ScanInputs in = new ScanInputs(shape, new float[] {1f, 2f}, new float[] {0f, 0f}, new float[] {-1f},
                new float[] {3f, 5f}, new float[] {7f, 11f}, new float[] {0.5f}, new float[] {0f});
        double dt = Math.log(2.0);
        double h1 = dt * 1 * 3;
        double h2 = Math.exp(-dt) * h1 + dt * 2 * 5;
        double[] y = SelectiveScanReference.scan(in);
        assertEquals(7 * h1 + 0.5 * 1, y[0], 1e-12);
        assertEquals(11 * h2 + 0.5 * 2, y[1], 1e-12);
    }

    @Test
    void inputsThatDoNotMatchTheShapeAreRejected() {
        ScanShape shape = new ScanShape(1, 4, 2, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ScanInputs(shape,
                new float[12], new float[12], new float[8], new float[12], new float[11], new float[4], new float[4]));
        assertTrue(e.getMessage().contains("Cs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScanShape(1, 6, 2, 4, 3));
    }

    private static float[] resource(String name) throws IOException {
        try (InputStream in = SelectiveScanReferenceTest.class.getResourceAsStream(name + ".npy")) {
            if (in == null) throw new IOException("missing test resource " + name + ".npy");
            return Npy.read(in, name).data();
        }
    }
}
