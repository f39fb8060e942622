package io.mambair.runtime.arch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mambair.runtime.arch.ModelConfig.Family;
import io.mambair.runtime.arch.ModelConfig.Task;
import io.mambair.runtime.arch.ModelConfig.Upsampler;
import io.mambair.runtime.checkpoint.CheckpointException;
import io.mambair.runtime.checkpoint.StateDict;

/**
 * Infers the MambaIR architecture of a state dict from its key names and tensor shapes, then checks the state
 * dict against the complete official layout of that architecture ({@link MambaIRLayout}): every expected tensor
 * must be present with exactly its shape and nothing else may be there, as the official strict loading requires.
 */
public final class ArchitectureInference {
    private static final int MAX_SHOWN = 5;

    private ArchitectureInference() {}

    /** The architecture of {@code state}; a missing, unexpected or wrongly shaped tensor is a {@link CheckpointException} naming it. */
    public static ModelConfig infer(StateDict state) {
        Optional<String> foreign = ForeignArchitecture.identify(state.keys());
        if (foreign.isPresent()) {
            throw new CheckpointException("unsupported architecture " + foreign.get()
                    + ": mambair runs MambaIR and MambaIRUNet checkpoints only");
        }
        ModelConfig config;
        if (state.has("conv_first.weight")) {
            config = mambaIR(state);
        } else if (state.has("patch_embed.proj.weight")) {
            config = unet(state);
        } else {
            throw new CheckpointException("not a MambaIR checkpoint: it has neither 'conv_first.weight' (MambaIR) nor "
                    + "'patch_embed.proj.weight' (MambaIRUNet); its first keys are " + firstKeys(state.keys()));
        }
        verify(state, config);
        return config;
    }

    private static ModelConfig mambaIR(StateDict state) {
        long[] first = shape(state, "conv_first.weight", 4, "(embed_dim, in_chans, 3, 3)");
        int c = (int) first[0];
        int inChans = (int) first[1];
        int groups = count(state, "layers.");
        if (groups == 0) throw new CheckpointException("checkpoint is missing tensor 'layers.0.conv.weight' (no residual groups)");
        List<Integer> depths = new ArrayList<>();
        Map<Integer, Integer> innerByWidth = new LinkedHashMap<>();
        int dState = 0;
        for (int i = 0; i < groups; i++) {
            String prefix = "layers." + i + ".residual_group.blocks.";
            depths.add(count(state, prefix));
            if (dState == 0 && depths.get(i) > 0) {
                innerByWidth.put(c, dInner(state, prefix + "0.", c));
                dState = dState(state, prefix + "0.");
            }
        }
        if (dState == 0) throw new CheckpointException("checkpoint has no VSS blocks (layers.*.residual_group.blocks.*)");
        String resi;
        if (state.has("conv_after_body.weight")) resi = "1conv";
        else if (state.has("conv_after_body.0.weight")) resi = "3conv";
        else throw new CheckpointException("checkpoint is missing tensor 'conv_after_body.weight'");

        Upsampler upsampler;
        int scale;
        if (state.has("conv_before_upsample.0.weight")) {
            upsampler = Upsampler.PIXELSHUFFLE;
            scale = pixelShuffleScale(state);
        } else if (state.has("upsample.0.weight")) {
            upsampler = Upsampler.PIXELSHUFFLE_DIRECT;
            scale = directScale(state, inChans);
        } else {
            upsampler = Upsampler.NONE;
            scale = 1;
        }
        Task task = switch (upsampler) {
            case PIXELSHUFFLE -> Task.CLASSIC_SR;
            case PIXELSHUFFLE_DIRECT -> Task.LIGHT_SR;
            case NONE -> inChans == 3 ? Task.COLOR_DN : Task.GRAY_DN_OR_CAR;
        };
        return new ModelConfig(Family.MAMBAIR, task, scale, inChans, inChans, c, List.copyOf(depths), 0, dState,
                MlpRatio.fit(innerByWidth), upsampler, resi, 1.0, state.parameterCount());
    }

    /** x2^n: n stages of Conv(64, 256) + PixelShuffle(2) at upsample.0, .2, ...; x3: one Conv(64, 576) + PixelShuffle(3). */
    private static int pixelShuffleScale(StateDict state) {
        long[] up = shape(state, "upsample.0.weight", 4, "(256 or 576, 64, 3, 3)");
        if (up[0] == 9L * MambaIRLayout.NUM_FEAT) return 3;
        if (up[0] != 4L * MambaIRLayout.NUM_FEAT) {
            throw new CheckpointException("tensor 'upsample.0.weight' has shape " + Arrays.toString(up) + ", expected [256, 64, 3, 3]"
                    + " (x2, x4) or [576, 64, 3, 3] (x3)");
        }
        int stages = 0;
        while (state.has("upsample." + 2 * stages + ".weight")) stages++;
        return 1 << stages;
    }

    /** One Conv(C, s*s*out_chans) + PixelShuffle(s); MambaIR's out_chans equals in_chans. */
    private static int directScale(StateDict state, int outChans) {
        long[] up = shape(state, "upsample.0.weight", 4, "(scale*scale*out_chans, embed_dim, 3, 3)");
        int scale = (int) Math.round(Math.sqrt((double) up[0] / outChans));
        if (scale < 1 || (long) scale * scale * outChans != up[0]) {
            throw new CheckpointException("tensor 'upsample.0.weight' has shape " + Arrays.toString(up) + ": its " + up[0]
                    + " output channels are not scale*scale*" + outChans + " for any integer scale");
        }
        return scale;
    }

    private static ModelConfig unet(StateDict state) {
        long[] embed = shape(state, "patch_embed.proj.weight", 4, "(dim, inp_channels, 3, 3)");
        int dim = (int) embed[0];
        int inChans = (int) embed[1];
        long[] output = shape(state, "output.weight", 4, "(out_channels, 2*dim, 3, 3)");
        if (output[0] != inChans) {
            throw new CheckpointException("tensor 'output.weight' has shape " + Arrays.toString(output) + ": MambaIRUNet adds its "
                    + inChans + "-channel input to the output, so it needs " + inChans + " output channels");
        }
        String[] levels = {"encoder_level1.", "encoder_level2.", "encoder_level3.", "latent.", "refinement."};
        int[] widths = {dim, 2 * dim, 4 * dim, 8 * dim, 2 * dim};
        int[] counts = new int[levels.length];
        Map<Integer, Integer> innerByWidth = new LinkedHashMap<>();
        int dState = 0;
        for (int l = 0; l < levels.length; l++) {
            counts[l] = count(state, levels[l]);
            if (counts[l] > 0) {
                innerByWidth.putIfAbsent(widths[l], dInner(state, levels[l] + "0.", widths[l]));
                if (dState == 0) dState = dState(state, levels[l] + "0.");
            }
        }
        if (dState == 0) throw new CheckpointException("checkpoint has no VSS blocks (encoder_level*, latent, refinement)");
        return new ModelConfig(Family.UNET, Task.REAL_DN, 1, inChans, inChans, dim, List.of(counts[0], counts[1], counts[2], counts[3]),
                counts[4], dState, MlpRatio.fit(innerByWidth), Upsampler.NONE, "", 1.0, state.parameterCount());
    }

    private static int dInner(StateDict state, String block, int width) {
        return (int) (shape(state, block + "self_attention.in_proj.weight", 2, "(2*d_inner, " + width + ")")[0] / 2);
    }

    private static int dState(StateDict state, String block) {
        return (int) shape(state, block + "self_attention.A_logs", 2, "(4*d_inner, d_state)")[1];
    }

    /** The shape of {@code key}, which must exist and have {@code rank} dimensions. */
    private static long[] shape(StateDict state, String key, int rank, String expected) {
        long[] shape = state.get(key).shape();
        if (shape.length != rank) {
            throw new CheckpointException("tensor '" + key + "' has shape " + Arrays.toString(shape) + ", expected " + expected);
        }
        return shape;
    }

    /** One more than the largest {@code i} among keys {@code <prefix><i>.*}; 0 when there are none. */
    private static int count(StateDict state, String prefix) {
        int n = 0;
        for (String key : state.keys()) {
            if (!key.startsWith(prefix)) continue;
            int dot = key.indexOf('.', prefix.length());
            String index = dot < 0 ? "" : key.substring(prefix.length(), dot);
            if (!index.isEmpty() && index.length() < 6 && index.chars().allMatch(Character::isDigit)) n = Math.max(n, Integer.parseInt(index) + 1);
        }
        return n;
    }

    private static void verify(StateDict state, ModelConfig config) {
        Map<String, long[]> expected = MambaIRLayout.of(config);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            if (!state.has(e.getKey())) {
                throw new CheckpointException("checkpoint is missing tensor '" + e.getKey() + "' (shape " + Arrays.toString(e.getValue())
                        + ") of the inferred " + describe(config));
            }
            long[] actual = state.get(e.getKey()).shape();
            if (!Arrays.equals(actual, e.getValue())) {
                throw new CheckpointException("tensor '" + e.getKey() + "' has shape " + Arrays.toString(actual) + ", expected "
                        + Arrays.toString(e.getValue()) + " for the inferred " + describe(config));
            }
        }
        List<String> unexpected = state.keys().stream().filter(k -> !expected.containsKey(k)).toList();
        if (!unexpected.isEmpty()) {
            throw new CheckpointException("checkpoint has " + unexpected.size() + " unexpected tensor(s) for the inferred "
                    + describe(config) + ": " + firstKeys(unexpected));
        }
    }

    /** A one-line summary of a config for error messages. */
    static String describe(ModelConfig c) {
        String family = c.family() == Family.UNET ? "MambaIRUNet" : "MambaIR";
        return family + " " + c.task().id() + " x" + c.scale() + " (embed_dim " + c.embedDim() + ", depths " + c.depths()
                + (c.family() == Family.UNET ? ", refinement " + c.refinementBlocks() : ", resi_connection " + c.resiConnection())
                + ", d_state " + c.dState() + ", mlp_ratio " + c.mlpRatio() + ")";
    }

    private static String firstKeys(Collection<String> keys) {
        List<String> shown = keys.stream().limit(MAX_SHOWN).map(k -> "'" + k + "'").toList();
        return String.join(", ", shown) + (keys.size() > MAX_SHOWN ? ", ..." : "");
    }
}
