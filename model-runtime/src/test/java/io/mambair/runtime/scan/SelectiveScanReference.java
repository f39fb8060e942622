package io.mambair.runtime.scan;

import java.util.Arrays;

/**
 * The selective scan of MambaIR's SS2D (Mamba's {@code selective_scan_fn} with {@code delta_softplus},
 * no {@code z}) as a plain sequential loop in float64: the oracle for the fused operator.
 */
public final class SelectiveScanReference {
    private SelectiveScanReference() {}

    /**
     * Returns y (B, D, L): per channel d and state n, from h = 0, {@code dt = softplus(delta + delta_bias[d])},
     * {@code h = exp(dt A[d,n]) h + dt u Bs[g,n]}, {@code y = sum_n Cs[g,n] h_n + Ds[d] u}, with PyTorch's
     * softplus (x itself above 20) and g = d / (D / G).
     */
    public static double[] scan(ScanInputs in) {
        ScanShape shape = in.shape();
        int channels = shape.channels(), states = shape.states(), groups = shape.groups(), length = shape.length();
        float[] u = in.u(), delta = in.delta(), a = in.a(), bs = in.bs(), cs = in.cs();
        double[] y = new double[shape.sequenceSize()];
        double[] h = new double[states];
        for (int b = 0; b < shape.batch(); b++) {
            for (int d = 0; d < channels; d++) {
                int g = d / shape.channelsPerGroup();
                int row = (b * channels + d) * length;
                int stateRow = (b * groups + g) * states * length;
                Arrays.fill(h, 0.0);
                for (int t = 0; t < length; t++) {
                    double dt = softplus((double) delta[row + t] + in.deltaBias()[d]);
                    double ut = u[row + t];
                    double sum = 0.0;
                    for (int n = 0; n < states; n++) {
                        int at = stateRow + n * length + t;
                        h[n] = Math.exp(dt * a[d * states + n]) * h[n] + dt * ut * bs[at];
                        sum += cs[at] * h[n];
                    }
                    y[row + t] = sum + in.ds()[d] * ut;
                }
            }
        }
        return y;
    }

    /** PyTorch's {@code softplus} with its default threshold 20. */
    static double softplus(double x) {
        return x > 20.0 ? x : Math.log1p(Math.exp(x));
    }
}
