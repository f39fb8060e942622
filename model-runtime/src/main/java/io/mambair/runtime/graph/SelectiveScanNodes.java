package io.mambair.runtime.graph;

import ai.onnx.proto.OnnxMl.GraphProto;

import static io.mambair.runtime.graph.OnnxGraph.attr;
import static io.mambair.runtime.graph.OnnxGraph.attrs;

/**
 * Emits the selective scan of one SS2D block: inputs xs and raw dts (B,K,E,L), Bs and Cs (B,K,N,L);
 * output y (B,K,E,L) with {@code y_t = sum_n C_t h_t + D u_t}, {@code h_t = exp(dt_t A) h_{t-1} + dt_t u_t B_t},
 * {@code dt = softplus(dts + bias)}. Every formulation is exact: decays are exp of non-positive
 * numbers, so nothing can overflow for any delta and A.
 */
final class SelectiveScanNodes {
    /** Domain and op type of the fused custom operator. */
    static final String FUSED_DOMAIN = "io.mambair";
    static final String FUSED_OP = "SelectiveScan";

    private SelectiveScanNodes() {}

    /**
     * @param negA A = -exp(A_logs), shape (K*E, N); {@code dsK} Ds (K*E); {@code biasK} dt bias (K*E)
     */
    static String emit(OnnxGraph g, ScanFormulation formulation, String xs, String dts, String bs, String cs,
                       float[] negA, float[] ds, float[] bias, int k, int e, int n) {
        return switch (formulation) {
            case FUSED -> fused(g, xs, dts, bs, cs, negA, ds, bias, k, e, n);
            case STANDARD -> standard(g, xs, dts, bs, cs, negA, ds, bias, k, e, n);
        };
    }

    private static String fused(OnnxGraph g, String xs, String dts, String bs, String cs,
                                float[] negA, float[] ds, float[] bias, int k, int e, int n) {
        String u = g.reshape(xs, 0, (long) k * e, -1);
        String delta = g.reshape(dts, 0, (long) k * e, -1);
        String y = g.node(FUSED_OP, FUSED_DOMAIN, new String[] {u, delta,
                g.floats("scan_A", negA, (long) k * e, n), bs, cs,
                g.floats("scan_D", ds, (long) k * e), g.floats("scan_dt_bias", bias, (long) k * e)});
        return g.reshape(y, g.shape(xs));
    }

    private static String standard(OnnxGraph g, String xs, String dts, String bs, String cs,
                                   float[] negA, float[] ds, float[] bias, int k, int e, int n) {
        String dt = softplus(g, g.add(dts, g.floats("scan_dt_bias", bias, k, e, 1)));
        String dtu = g.mul(dt, xs);
        // h0 = zeros(B, K, E, N)
        String batch = g.slice(g.shape(xs), 0, 0, 1);
        String h0Shape = g.concat(0, batch, g.longs("dims", k, e, n));
        String h0 = g.node("ConstantOfShape", new String[] {h0Shape},
                ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("value")
                        .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.TENSOR)
                        .setT(ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setDataType(1).addDims(1).addFloatData(0f)).build());
        GraphProto body = scanBody(g.fresh("scan_body") + "/", negA, k, e, n);
        String hLast = g.fresh("scan_h_last");
        String ys = g.fresh("scan_y");
        g.nodeMulti("Scan", "", new String[] {h0, dt, dtu, bs, cs}, new String[] {hLast, ys},
                attr("body", body), attr("num_scan_inputs", 4L), attrs("scan_input_axes", 3, 3, 3, 3),
                attrs("scan_output_axes", 3));
        return g.add(ys, g.mul(xs, g.floats("scan_D", ds, k, e, 1)));
    }

    /** One step: h = exp(dt A) h + (dt u) B; y = sum_n C h. Slices: dt, dtu (B,K,E); B, C (B,K,N). */
    private static GraphProto scanBody(String scope, float[] negA, int k, int e, int n) {
        OnnxGraph b = new OnnxGraph("selective_scan_step", scope);
        b.floatInput("h", "batch", k, e, n);
        b.floatInput("dt_t", "batch", k, e);
        b.floatInput("dtu_t", "batch", k, e);
        b.floatInput("b_t", "batch", k, n);
        b.floatInput("c_t", "batch", k, n);
        String a = b.floats("A", negA, k, e, n);
        String decay = b.exp(b.mul(b.unsqueeze("dt_t", 3), a));
        String input = b.mul(b.unsqueeze("dtu_t", 3), b.unsqueeze("b_t", 2));
        String h = b.add(b.mul(decay, "h"), input);
        String y = b.node("ReduceSum", new String[] {b.mul(h, b.unsqueeze("c_t", 2)), b.longs("axes", 3)}, attr("keepdims", 0L));
        b.identity(h, "h_out");
        b.identity(y, "y_t");
        b.floatOutput("h_out", "batch", k, e, n);
        b.floatOutput("y_t", "batch", k, e);
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
