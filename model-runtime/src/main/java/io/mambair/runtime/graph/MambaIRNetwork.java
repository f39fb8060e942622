package io.mambair.runtime.graph;

import io.mambair.runtime.arch.ModelConfig;

/** Emits the MambaIR network (classic SR, light SR, denoising and CAR heads) as in {@code MambaIR.forward}. */
final class MambaIRNetwork {
    private static final float[] RGB_MEAN = {0.4488f, 0.4371f, 0.4040f};

    private MambaIRNetwork() {}

    static String emit(OnnxGraph g, Weights w, VssBlockNodes blocks, ModelConfig cfg, String input) {
        int c = cfg.embedDim();
        String mean = cfg.inChans() == 3 ? g.floats("rgb_mean", RGB_MEAN, 1, 3, 1, 1) : null;
        String x = mean == null ? input : g.sub(input, mean);
        if (cfg.imgRange() != 1.0) x = g.mul(x, g.scalar("img_range", (float) cfg.imgRange()));
        String f0 = w.conv(x, "conv_first", cfg.inChans(), 1);

        String t = g.transpose(f0, 0, 2, 3, 1);
        if (w.has("patch_embed.norm.weight")) t = w.layerNorm(t, "patch_embed.norm");
        for (int i = 0; i < cfg.depths().size(); i++) {
            String groupIn = t;
            String h = t;
            for (int j = 0; j < cfg.depths().get(i); j++) {
                h = blocks.block(h, "layers." + i + ".residual_group.blocks." + j + ".", c, cfg.lightCab());
            }
            String conv = residualConv(g, w, g.transpose(h, 0, 3, 1, 2), "layers." + i + ".conv", c, cfg.resiConnection());
            t = g.add(g.transpose(conv, 0, 2, 3, 1), groupIn);
        }
        String features = g.transpose(w.layerNorm(t, "norm"), 0, 3, 1, 2);
        String body = g.add(residualConv(g, w, features, "conv_after_body", c, cfg.resiConnection()), f0);

        String out = switch (cfg.upsampler()) {
            case PIXELSHUFFLE -> {
                String h = g.leakyRelu(w.conv(body, "conv_before_upsample.0", c, 1), 0.01f);
                int stages = cfg.scale() == 3 ? 1 : Integer.numberOfTrailingZeros(cfg.scale());
                int factor = cfg.scale() == 3 ? 3 : 2;
                int channels = w.outChannels("conv_before_upsample.0");
                for (int s = 0; s < stages; s++) {
                    String key = "upsample." + (2 * s);
                    h = g.pixelShuffle(w.conv(h, key, channels, 1), factor);
                    channels = w.outChannels(key) / (factor * factor);
                }
                yield w.conv(h, "conv_last", channels, 1);
            }
            case PIXELSHUFFLE_DIRECT -> g.pixelShuffle(w.conv(body, "upsample.0", c, 1), cfg.scale());
            case NONE -> g.add(x, w.conv(body, "conv_last", c, 1));
        };
        if (cfg.imgRange() != 1.0) out = g.node("Div", new String[] {out, g.scalar("img_range", (float) cfg.imgRange())});
        return mean == null ? out : g.add(out, mean);
    }

    /** '1conv' = one 3x3 conv; '3conv' = 3x3 to C/4, LeakyReLU 0.2, 1x1, LeakyReLU 0.2, 3x3 back to C. */
    private static String residualConv(OnnxGraph g, Weights w, String x, String prefix, int c, String kind) {
        if ("1conv".equals(kind)) return w.conv(x, prefix, c, 1);
        String h = g.leakyRelu(w.conv(x, prefix + ".0", c, 1), 0.2f);
        int q = w.outChannels(prefix + ".0");
        h = g.leakyRelu(w.conv(h, prefix + ".2", q, 1), 0.2f);
        return w.conv(h, prefix + ".4", q, 1);
    }
}
