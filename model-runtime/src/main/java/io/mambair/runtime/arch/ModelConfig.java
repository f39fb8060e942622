package io.mambair.runtime.arch;

import java.util.List;

/**
 * A MambaIR architecture as inferred from a checkpoint. For {@link Family#MAMBAIR} all fields apply;
 * for {@link Family#UNET} ({@code MambaIRUNet}) {@code depths} holds the four encoder/latent levels
 * [l1, l2, l3, latent], {@code refinementBlocks} the refinement blocks, and {@code embedDim} the level-1 width.
 */
public record ModelConfig(
        Family family,
        Task task,
        int scale,
        int inChans,
        int outChans,
        int embedDim,
        List<Integer> depths,
        int refinementBlocks,
        int dState,
        double mlpRatio,
        Upsampler upsampler,
        String resiConnection,
        double imgRange,
        long parameterCount) implements java.io.Serializable {

    /** Network family. */
    public enum Family { MAMBAIR, UNET }

    /** The restoration task a checkpoint was trained for (as far as its structure tells). */
    public enum Task {
        CLASSIC_SR, LIGHT_SR, COLOR_DN, GRAY_DN_OR_CAR, REAL_DN;
        public String id() { return name().toLowerCase(); }
    }

    /** Reconstruction head. */
    public enum Upsampler {
        PIXELSHUFFLE("pixelshuffle"), PIXELSHUFFLE_DIRECT("pixelshuffledirect"), NONE("");
        private final String official;
        Upsampler(String official) { this.official = official; }
        /** The {@code upsampler} string of the official constructor. */
        public String official() { return official; }
    }

    /** {@code d_inner = int(mlp_ratio * width)} for a block of the given width, as SS2D computes it. */
    public int dInner(int width) { return (int) (mlpRatio * width); }

    /** {@code dt_rank = ceil(width / 16)}. */
    public static int dtRank(int width) { return (width + 15) / 16; }

    /** True for the light-SR CAB (set only by the pixelshuffledirect upsampler). */
    public boolean lightCab() { return upsampler == Upsampler.PIXELSHUFFLE_DIRECT; }

    /** Spatial multiple the input must be padded to (8 for the UNet, else 1). */
    public int sizeMultiple() { return family == Family.UNET ? 8 : 1; }
}
