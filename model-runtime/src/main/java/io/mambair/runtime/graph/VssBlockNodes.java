package io.mambair.runtime.graph;

import io.mambair.runtime.checkpoint.CheckpointException;
import io.mambair.runtime.checkpoint.Tensor;

/** Emits one VSSBlock (SS2D + channel-attention block) on NHWC tokens, as the official code computes it. */
final class VssBlockNodes {
    private static final int K = 4;
    private final OnnxGraph g;
    private final Weights w;
    private final ScanFormulation scan;

    VssBlockNodes(OnnxGraph g, Weights w, ScanFormulation scan) {
        this.g = g;
        this.w = w;
        this.scan = scan;
    }

    /** {@code x} (B,H,W,C) -> (B,H,W,C); {@code p} is the block's key prefix with trailing dot. */
    String block(String x, String p, int c, boolean lightCab) {
        String attn = ss2d(w.layerNorm(x, p + "ln_1"), p + "self_attention.", c);
        String x1 = g.add(g.mul(x, w.init(p + "skip_scale", c)), attn);
        String nchw = g.transpose(w.layerNorm(x1, p + "ln_2"), 0, 3, 1, 2);
        String cab = lightCab ? lightCab(nchw, p + "conv_blk.cab.", c) : classicCab(nchw, p + "conv_blk.cab.", c);
        return g.add(g.mul(x1, w.init(p + "skip_scale2", c)), g.transpose(cab, 0, 2, 3, 1));
    }

    private String ss2d(String x, String p, int c) {
        Tensor xProj = w.tensor(p + "x_proj_weight");
        Tensor aLogs = w.tensor(p + "A_logs");
        int e = xProj.dim(2);
        int n = aLogs.dim(1);
        int r = xProj.dim(1) - 2 * n;
        expect(p + "x_proj_weight", xProj, K, r + 2L * n, e);
        expect(p + "A_logs", aLogs, (long) K * e, n);
        expect(p + "dt_projs_weight", w.tensor(p + "dt_projs_weight"), K, e, r);
        expect(p + "dt_projs_bias", w.tensor(p + "dt_projs_bias"), K, e);
        expect(p + "Ds", w.tensor(p + "Ds"), (long) K * e);
        expect(p + "in_proj.weight", w.tensor(p + "in_proj.weight"), 2L * e, c);
        expect(p + "conv2d.weight", w.tensor(p + "conv2d.weight"), e, 1, 3, 3);
        expect(p + "out_proj.weight", w.tensor(p + "out_proj.weight"), c, e);

        String xp = w.linearRows(x, p + "in_proj", 0, e);                                // (B,H,W,E)
        String z = w.linearRows(x, p + "in_proj", e, 2 * e);
        String xc = g.silu(w.conv(g.transpose(xp, 0, 3, 1, 2), p + "conv2d", e, 1));   // (B,E,H,W)

        float[] logs = aLogs.data();
        float[] negA = new float[logs.length];
        for (int i = 0; i < logs.length; i++) negA[i] = (float) -Math.exp(logs[i]);
        String ySum = SelectiveScanNodes.emit(g, scan, xc, new SelectiveScanNodes.Ss2dWeights(xProj.data(),
                w.tensor(p + "dt_projs_weight").data(), negA, w.tensor(p + "Ds").data(),
                w.tensor(p + "dt_projs_bias").data(), e, n, r));                             // (B,H,W,E)
        String gated = g.mul(w.layerNorm(ySum, p + "out_norm"), g.silu(z));
        return w.linear(gated, p + "out_proj");
    }

    private String classicCab(String x, String p, int c) {
        String h = g.gelu(w.conv(x, p + "0", c, 1));
        h = w.conv(h, p + "2", w.outChannels(p + "0"), 1);
        return channelAttention(h, p + "3.attention.", c);
    }

    private String lightCab(String x, String p, int c) {
        int mid = w.outChannels(p + "0");
        String h = w.conv(x, p + "0", c, 1);
        h = g.gelu(w.conv(h, p + "1", mid, 1));
        h = w.conv(h, p + "3", mid, 1);
        h = w.conv(h, p + "4", c, 2);
        return channelAttention(h, p + "5.attention.", c);
    }

    private String channelAttention(String x, String p, int c) {
        String pooled = g.node("GlobalAveragePool", new String[] {x});
        String s = g.relu(w.conv(pooled, p + "1", c, 1));
        s = g.sigmoid(w.conv(s, p + "3", w.outChannels(p + "1"), 1));
        return g.mul(x, s);
    }

    private static void expect(String key, Tensor t, long... shape) {
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new CheckpointException("tensor '" + key + "' has shape " + java.util.Arrays.toString(t.shape())
                    + ", expected " + java.util.Arrays.toString(shape));
        }
    }
}
