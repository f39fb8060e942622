package io.mambair.runtime.arch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact state-dict keys and shapes of the official {@code MambaIR} / {@code MambaIRUNet} module for a
 * {@link ModelConfig}, in the order {@code state_dict()} lists them (official commit 33d7b34).
 */
public final class MambaIRLayout {
    /** Hidden width of the pixelshuffle reconstruction head ({@code num_feat}, hard-coded in MambaIR). */
    public static final int NUM_FEAT = 64;
    /** Squeeze factor of the channel attention: its hidden width is {@code C / 30}. */
    public static final int SQUEEZE_FACTOR = 30;
    private static final int DIRECTIONS = 4;

    private final ModelConfig config;
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private MambaIRLayout(ModelConfig config) {
        this.config = config;
    }

    /** Every parameter name of the model described by {@code config}, with its shape. */
    public static Map<String, long[]> of(ModelConfig config) {
        MambaIRLayout layout = new MambaIRLayout(config);
        if (config.family() == ModelConfig.Family.UNET) layout.unet();
        else layout.mambaIR();
        return layout.shapes;
    }

    private void mambaIR() {
        int c = config.embedDim();
        conv("conv_first", c, config.inChans(), 3, true);
        norm("patch_embed.norm", c);
        List<Integer> depths = config.depths();
        for (int i = 0; i < depths.size(); i++) {
            blocks("layers." + i + ".residual_group.blocks.", depths.get(i), c, config.lightCab());
            residualConv("layers." + i + ".conv", c);
        }
        norm("norm", c);
        residualConv("conv_after_body", c);
        switch (config.upsampler()) {
            case PIXELSHUFFLE -> {
                conv("conv_before_upsample.0", NUM_FEAT, c, 3, true);
                if (config.scale() == 3) {
                    conv("upsample.0", 9 * NUM_FEAT, NUM_FEAT, 3, true);
                } else {
                    for (int k = 0; k < Integer.numberOfTrailingZeros(config.scale()); k++) conv("upsample." + 2 * k, 4 * NUM_FEAT, NUM_FEAT, 3, true);
                }
                conv("conv_last", config.outChans(), NUM_FEAT, 3, true);
            }
            case PIXELSHUFFLE_DIRECT -> conv("upsample.0", config.scale() * config.scale() * config.outChans(), c, 3, true);
            case NONE -> conv("conv_last", config.outChans(), c, 3, true);
        }
    }

    private void unet() {
        int dim = config.embedDim();
        List<Integer> depths = config.depths();
        conv("patch_embed.proj", dim, config.inChans(), 3, false);
        blocks("encoder_level1.", depths.get(0), dim, false);
        conv("down1_2.body.0", dim / 2, dim, 3, false);
        blocks("encoder_level2.", depths.get(1), 2 * dim, false);
        conv("down2_3.body.0", dim, 2 * dim, 3, false);
        blocks("encoder_level3.", depths.get(2), 4 * dim, false);
        conv("down3_4.body.0", 2 * dim, 4 * dim, 3, false);
        blocks("latent.", depths.get(3), 8 * dim, false);
        conv("up4_3.body.0", 16 * dim, 8 * dim, 3, false);
        conv("reduce_chan_level3", 4 * dim, 8 * dim, 1, false);
        blocks("decoder_level3.", depths.get(2), 4 * dim, false);
        conv("up3_2.body.0", 8 * dim, 4 * dim, 3, false);
        conv("reduce_chan_level2", 2 * dim, 4 * dim, 1, false);
        blocks("decoder_level2.", depths.get(1), 2 * dim, false);
        conv("up2_1.body.0", 4 * dim, 2 * dim, 3, false);
        blocks("decoder_level1.", depths.get(0), 2 * dim, false);
        blocks("refinement.", config.refinementBlocks(), 2 * dim, false);
        conv("output", config.outChans(), 2 * dim, 3, false);
    }

    private void blocks(String prefix, int count, int c, boolean lightCab) {
        for (int j = 0; j < count; j++) vssBlock(prefix + j + ".", c, lightCab);
    }

    /** One VSSBlock: SS2D ("self_attention") and CAB ("conv_blk"), each behind a LayerNorm and a learned skip scale. */
    private void vssBlock(String p, int c, boolean lightCab) {
        int e = config.dInner(c);
        int r = ModelConfig.dtRank(c);
        int n = config.dState();
        put(p + "skip_scale", c);
        put(p + "skip_scale2", c);
        norm(p + "ln_1", c);
        String s = p + "self_attention.";
        put(s + "x_proj_weight", DIRECTIONS, r + 2L * n, e);
        put(s + "dt_projs_weight", DIRECTIONS, e, r);
        put(s + "dt_projs_bias", DIRECTIONS, e);
        put(s + "A_logs", (long) DIRECTIONS * e, n);
        put(s + "Ds", (long) DIRECTIONS * e);
        put(s + "in_proj.weight", 2L * e, c);
        put(s + "conv2d.weight", e, 1, 3, 3);
        put(s + "conv2d.bias", e);
        norm(s + "out_norm", e);
        put(s + "out_proj.weight", c, e);
        String cab = p + "conv_blk.cab.";
        if (lightCab) {
            conv(cab + "0", c / 2, c, 1, true);
            conv(cab + "1", c / 2, 1, 3, true);
            conv(cab + "3", c, c / 2, 1, true);
            conv(cab + "4", c, 1, 3, true);
            channelAttention(cab + "5.attention.", c);
        } else {
            conv(cab + "0", c / 3, c, 3, true);
            conv(cab + "2", c, c / 3, 3, true);
            channelAttention(cab + "3.attention.", c);
        }
        norm(p + "ln_2", c);
    }

    private void channelAttention(String p, int c) {
        int squeezed = c / SQUEEZE_FACTOR;
        conv(p + "1", squeezed, c, 1, true);
        conv(p + "3", c, squeezed, 1, true);
    }

    private void residualConv(String p, int c) {
        if ("3conv".equals(config.resiConnection())) {
            conv(p + ".0", c / 4, c, 3, true);
            conv(p + ".2", c / 4, c / 4, 1, true);
            conv(p + ".4", c, c / 4, 3, true);
        } else {
            conv(p, c, c, 3, true);
        }
    }

    private void conv(String p, int out, int in, int k, boolean bias) {
        put(p + ".weight", out, in, k, k);
        if (bias) put(p + ".bias", out);
    }

    private void norm(String p, int c) {
        put(p + ".weight", c);
        put(p + ".bias", c);
    }

    private void put(String key, long... shape) {
        shapes.put(key, shape);
    }
}
