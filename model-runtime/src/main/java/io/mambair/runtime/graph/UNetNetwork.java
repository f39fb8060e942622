package io.mambair.runtime.graph;

import io.mambair.runtime.arch.ModelConfig;

/**
 * Emits the real-denoising {@code MambaIRUNet}: four levels with PixelUnshuffle downsampling,
 * PixelShuffle upsampling, concatenated skips, refinement blocks and a global residual. H and W must
 * be multiples of 8 (the runtime pads).
 */
final class UNetNetwork {
    private UNetNetwork() {}

    static String emit(OnnxGraph g, Weights w, VssBlockNodes blocks, ModelConfig cfg, String input) {
        int dim = cfg.embedDim();
        int[] n = cfg.depths().stream().mapToInt(Integer::intValue).toArray();
        String enc1 = stage(g, blocks, toNhwc(g, w.conv(input, "patch_embed.proj", cfg.inChans(), 1)), "encoder_level1", n[0], dim);
        String enc2 = stage(g, blocks, down(g, w, enc1, "down1_2", dim), "encoder_level2", n[1], 2 * dim);
        String enc3 = stage(g, blocks, down(g, w, enc2, "down2_3", 2 * dim), "encoder_level3", n[2], 4 * dim);
        String latent = stage(g, blocks, down(g, w, enc3, "down3_4", 4 * dim), "latent", n[3], 8 * dim);

        String dec3 = reduce(g, w, g.concat(3, up(g, w, latent, "up4_3", 8 * dim), enc3), "reduce_chan_level3", 8 * dim);
        dec3 = stage(g, blocks, dec3, "decoder_level3", n[2], 4 * dim);
        String dec2 = reduce(g, w, g.concat(3, up(g, w, dec3, "up3_2", 4 * dim), enc2), "reduce_chan_level2", 4 * dim);
        dec2 = stage(g, blocks, dec2, "decoder_level2", n[1], 2 * dim);
        String dec1 = g.concat(3, up(g, w, dec2, "up2_1", 2 * dim), enc1);
        dec1 = stage(g, blocks, dec1, "decoder_level1", n[0], 2 * dim);
        dec1 = stage(g, blocks, dec1, "refinement", cfg.refinementBlocks(), 2 * dim);
        return g.add(w.conv(g.transpose(dec1, 0, 3, 1, 2), "output", 2 * dim, 1), input);
    }

    private static String stage(OnnxGraph g, VssBlockNodes blocks, String x, String name, int count, int width) {
        String h = x;
        for (int j = 0; j < count; j++) h = blocks.block(h, name + "." + j + ".", width, false);
        return h;
    }

    private static String down(OnnxGraph g, Weights w, String nhwc, String prefix, int channels) {
        String conv = w.conv(g.transpose(nhwc, 0, 3, 1, 2), prefix + ".body.0", channels, 1);
        return toNhwc(g, g.pixelUnshuffle(conv, 2, w.outChannels(prefix + ".body.0")));
    }

    private static String up(OnnxGraph g, Weights w, String nhwc, String prefix, int channels) {
        String conv = w.conv(g.transpose(nhwc, 0, 3, 1, 2), prefix + ".body.0", channels, 1);
        return toNhwc(g, g.pixelShuffle(conv, 2));
    }

    private static String reduce(OnnxGraph g, Weights w, String nhwc, String prefix, int channels) {
        return toNhwc(g, w.conv(g.transpose(nhwc, 0, 3, 1, 2), prefix, channels, 1));
    }

    private static String toNhwc(OnnxGraph g, String nchw) {
        return g.transpose(nchw, 0, 2, 3, 1);
    }
}
