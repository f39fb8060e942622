package io.mambair.runtime.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.mambair.runtime.scan.FusedScanContract;

import static io.mambair.runtime.graph.OnnxGraph.attr;
import static io.mambair.runtime.graph.OnnxGraph.attrs;

/**
 * Emits SS2D's four-direction selective scan with its merge: from the activated depthwise-conv output
 * (B,E,H,W) to {@code y = y0 + flip(y2) + T(y1) + T(flip(y3))} as tokens (B,H,W,E). Per direction,
 * {@code y_t = sum_n C_t h_t + D u_t}, {@code h_t = exp(dt_t A) h_{t-1} + dt_t u_t B_t},
 * {@code dt = softplus(dts + bias)}. Both formulations are exact: decays are exp of non-positive
 * numbers, so nothing can overflow for any delta and A.
 */
final class SelectiveScanNodes {
    private static final int K = 4;

    private SelectiveScanNodes() {}

    /**
     * SS2D's scan weights: {@code xProj} (K, R+2N, E), {@code dtProjs} (K, E, R), {@code negA} = -exp(A_logs)
     * (K*E, N), {@code ds} and {@code dtBias} (K*E).
     */
    record Ss2dWeights(float[] xProj, float[] dtProjs, float[] negA, float[] ds, float[] dtBias, int e, int n, int r) {}

    static String emit(OnnxGraph g, ScanFormulation formulation, String xc, Ss2dWeights w) {
        return switch (formulation) {
            case FUSED -> fused(g, xc, w);
            case STANDARD -> standard(g, xc, w);
        };
    }

    /**
     * One {@link FusedScanContract#SELECTIVE_SCAN_2D} node. x_proj is per position, so every direction's projections are taken
     * at the grid positions of xc (no flipped or transposed copies); the operator visits them in each
     * direction's order and sums the four outputs where they belong.
     */
    private static String fused(OnnxGraph g, String xc, Ss2dWeights w) {
        int e = w.e(), n = w.n(), r = w.r();
        String seq = g.unsqueeze(g.reshape(xc, 0, 0, -1), 1);                                    // (B,1,E,L)
        String xdt = g.matmul(g.floats("x_proj_dt", rows(w.xProj(), e, 0, r), K, r, e), seq);   // (B,K,R,L)
        String dts = g.matmul(g.floats("dt_projs", w.dtProjs(), K, e, r), xdt);                 // (B,K,E,L)
        String bs = g.matmul(g.floats("x_proj_B", rows(w.xProj(), e, r, r + n), K, n, e), seq); // (B,K,N,L)
        String cs = g.matmul(g.floats("x_proj_C", rows(w.xProj(), e, r + n, r + 2 * n), K, n, e), seq);
        FusedScanContract.Operator op = FusedScanContract.SELECTIVE_SCAN_2D;
        return g.node(op.type(), FusedScanContract.DOMAIN, new String[] {xc, dts,
                g.floats("scan_A", w.negA(), (long) K * e, n), bs, cs,
                g.floats("scan_D", w.ds(), (long) K * e), g.floats("scan_dt_bias", w.dtBias(), (long) K * e)});
    }

    /** Rows {@code from..to} of every direction's (R+2N, E) block of x_proj_weight. */
    private static float[] rows(float[] xProj, int e, int from, int to) {
        int perDirection = xProj.length / K;
        float[] out = new float[K * (to - from) * e];
        for (int k = 0; k < K; k++) {
            System.arraycopy(xProj, k * perDirection + from * e, out, k * (to - from) * e, (to - from) * e);
        }
        return out;
    }

    /** The official data flow with an ONNX {@code Scan} over the sequence: standard ops only. */
    private static String standard(OnnxGraph g, String xc, Ss2dWeights w) {
        int e = w.e(), n = w.n(), r = w.r();
        String xt = g.transpose(xc, 0, 1, 3, 2);                                                 // (B,E,W,H)
        String rowsSeq = g.unsqueeze(g.reshape(xc, 0, 0, -1), 1);
        String colsSeq = g.unsqueeze(g.reshape(xt, 0, 0, -1), 1);
        String hw = g.concat(1, rowsSeq, colsSeq);                                              // (B,2,E,L)
        String xs = g.concat(1, hw, g.flip(hw, 3));                                             // (B,4,E,L)
        String xdbl = g.matmul(g.floats("x_proj_weight", w.xProj(), K, r + 2L * n, e), xs);    // (B,4,R+2N,L)
        String dts = g.matmul(g.floats("dt_projs", w.dtProjs(), K, e, r), g.slice(xdbl, 2, 0, r));
        String bs = g.slice(xdbl, 2, r, r + n);
        String cs = g.slice(xdbl, 2, r + n, r + 2L * n);
        String y = scan(g, xs, dts, bs, cs, w);                                                 // (B,4,E,L)

        String merged = g.add(g.slice(y, 1, 0, 2), g.flip(g.slice(y, 1, 2, 4), 3));            // (B,2,E,L)
        String y0 = g.reshape(g.slice(merged, 1, 0, 1), g.shape(xc));
        String y1 = g.transpose(g.reshape(g.slice(merged, 1, 1, 2), g.shape(xt)), 0, 1, 3, 2);
        return g.transpose(g.add(y0, y1), 0, 2, 3, 1);                                          // (B,H,W,E)
    }

    private static String scan(OnnxGraph g, String xs, String dts, String bs, String cs, Ss2dWeights w) {
        int e = w.e(), n = w.n();
        String dt = softplus(g, g.add(dts, g.floats("scan_dt_bias", w.dtBias(), K, e, 1)));
        String dtu = g.mul(dt, xs);
        // h0 = zeros(B, K, E, N)
        String batch = g.slice(g.shape(xs), 0, 0, 1);
        String h0Shape = g.concat(0, batch, g.longs("dims", K, e, n));
        String h0 = g.node("ConstantOfShape", new String[] {h0Shape},
                AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                        .setT(TensorProto.newBuilder().setDataType(1).addDims(1).addFloatData(0f)).build());
        GraphProto body = scanBody(g.fresh("scan_body") + "/", w.negA(), e, n);
        String hLast = g.fresh("scan_h_last");
        String ys = g.fresh("scan_y");
        g.nodeMulti("Scan", "", new String[] {h0, dt, dtu, bs, cs}, new String[] {hLast, ys},
                attr("body", body), attr("num_scan_inputs", 4L), attrs("scan_input_axes", 3, 3, 3, 3),
                attrs("scan_output_axes", 3));
        return g.add(ys, g.mul(xs, g.floats("scan_D", w.ds(), K, e, 1)));
    }

    /** One step: h = exp(dt A) h + (dt u) B; y = sum_n C h. Slices: dt, dtu (B,K,E); B, C (B,K,N). */
    private static GraphProto scanBody(String scope, float[] negA, int e, int n) {
        OnnxGraph b = new OnnxGraph("selective_scan_step", scope);
        b.floatInput("h", "batch", K, e, n);
        b.floatInput("dt_t", "batch", K, e);
        b.floatInput("dtu_t", "batch", K, e);
        b.floatInput("b_t", "batch", K, n);
        b.floatInput("c_t", "batch", K, n);
        String a = b.floats("A", negA, K, e, n);
        String decay = b.exp(b.mul(b.unsqueeze("dt_t", 3), a));
        String input = b.mul(b.unsqueeze("dtu_t", 3), b.unsqueeze("b_t", 2));
        String h = b.add(b.mul(decay, "h"), input);
        String y = b.node("ReduceSum", new String[] {b.mul(h, b.unsqueeze("c_t", 2)), b.longs("axes", 3)}, attr("keepdims", 0L));
        b.identity(h, "h_out");
        b.identity(y, "y_t");
        b.floatOutput("h_out", "batch", K, e, n);
        b.floatOutput("y_t", "batch", K, e);
        return b.build();
    }

    /** PyTorch softplus: x above 20, else log(1 + exp(x)). */
    static String softplus(OnnxGraph g, String x) {
        String twenty = g.scalar("twenty", 20f);
        String capped = g.node("Min", new String[] {x, twenty});
        String smooth = g.node("Log", new String[] {g.add(g.exp(capped), g.scalar("one", 1f))});
        String above = g.node("Greater", new String[] {x, twenty});
        return g.node("Where", new String[] {above, x, smooth});
    }
}
