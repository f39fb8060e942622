package io.mambair.runtime.arch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.mambair.runtime.checkpoint.CheckpointException;
import io.mambair.runtime.checkpoint.CheckpointLoader;
import io.mambair.runtime.checkpoint.StateDict;
import io.mambair.runtime.checkpoint.Tensor;
import io.mambair.runtime.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing, extra or wrongly shaped tensor is an error naming the key (and both shapes). */
class InferenceErrorTest {

    private static String errorAfter(String ymlName, Consumer<Map<String, long[]>> edit) {
        Map<String, long[]> shapes = new LinkedHashMap<>(OfficialStateDicts.ofYml(ymlName));
        edit.accept(shapes);
        StateDict state = OfficialStateDicts.zeros(shapes);
        return assertThrows(CheckpointException.class, () -> ArchitectureInference.infer(state)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) assertTrue(message.contains(part), "message should mention '" + part + "': " + message);
    }

    @Test
    void aMissingBlockTensorIsNamed() {
        String key = "layers.2.residual_group.blocks.3.self_attention.A_logs";
        assertMentions(errorAfter("test_MambaIR_lighSR_x2", s -> s.remove(key)), "missing tensor '" + key + "'", "[288, 10]");
    }

    @Test
    void aMissingTensorInARealCheckpointIsNamed() {
        StateDict real = CheckpointLoader.load(SharedData.fixture("classic_sr_x2").resolve("model.pth"));
        Map<String, Tensor> tensors = new LinkedHashMap<>(real.asMap());
        tensors.remove("layers.1.residual_group.blocks.0.conv_blk.cab.3.attention.3.bias");
        CheckpointException e = assertThrows(CheckpointException.class, () -> ArchitectureInference.infer(new StateDict(tensors)));
        assertMentions(e.getMessage(), "'layers.1.residual_group.blocks.0.conv_blk.cab.3.attention.3.bias'");
    }

    @Test
    void aWrongSs2dShapeNamesTheKeyAndBothShapes() {
        String key = "layers.0.residual_group.blocks.1.self_attention.x_proj_weight";
        assertMentions(errorAfter("test_MambaIR_SR_x2", s -> s.put(key, new long[] {4, 45, 360})),
                "'" + key + "'", "[4, 45, 360]", "[4, 44, 360]");
    }

    @Test
    void aDStateDifferingBetweenBlocksIsAShapeError() {
        String key = "layers.3.residual_group.blocks.5.self_attention.A_logs";
        assertMentions(errorAfter("test_MambaIR_lightSR_x4", s -> s.put(key, new long[] {288, 16})), "'" + key + "'", "[288, 16]", "[288, 10]");
    }

    @Test
    void aWrongChannelAttentionWidthIsNamed() {
        String key = "layers.0.residual_group.blocks.0.conv_blk.cab.3.attention.1.weight";
        assertMentions(errorAfter("test_MambaIR_ColorDN_level25", s -> s.put(key, new long[] {5, 180, 1, 1})), "'" + key + "'", "[6, 180, 1, 1]");
    }

    @Test
    void aClassicCabInALightModelIsRefused() {
        assertMentions(errorAfter("test_MambaIR_lighSR_x2", s -> {
            s.remove("layers.0.residual_group.blocks.0.conv_blk.cab.1.weight");
            s.put("layers.0.residual_group.blocks.0.conv_blk.cab.0.weight", new long[] {20, 60, 3, 3});
        }), "layers.0.residual_group.blocks.0.conv_blk.cab.0.weight", "[30, 60, 1, 1]");
    }

    @Test
    void anUnexpectedTensorIsNamed() {
        assertMentions(errorAfter("test_MambaIR_CAR_q10", s -> s.put("absolute_pos_embed", new long[] {1, 180})),
                "unexpected tensor", "'absolute_pos_embed'");
    }

    @Test
    void aMissingReconstructionConvIsNamed() {
        assertMentions(errorAfter("test_MambaIR_SR_x3", s -> s.remove("conv_last.weight")), "missing tensor 'conv_last.weight'");
    }

    @Test
    void anUnknownUpsampleWidthIsExplained() {
        assertMentions(errorAfter("test_MambaIR_SR_x2", s -> s.put("upsample.0.weight", new long[] {300, 64, 3, 3})),
                "'upsample.0.weight'", "[300, 64, 3, 3]", "x3");
        assertMentions(errorAfter("test_MambaIR_lighSR_x2", s -> s.put("upsample.0.weight", new long[] {15, 60, 3, 3})),
                "'upsample.0.weight'", "scale*scale*3");
    }

    @Test
    void aTensorOfTheWrongRankIsNamed() {
        assertMentions(errorAfter("test_MambaIR_SR_x4", s -> s.put("conv_first.weight", new long[] {180, 27})),
                "'conv_first.weight'", "[180, 27]");
    }

    @Test
    void somethingElseEntirelyIsNotMambaIR() {
        StateDict other = OfficialStateDicts.zeros(Map.of("fc.weight", new long[] {10, 4}));
        String message = assertThrows(CheckpointException.class, () -> ArchitectureInference.infer(other)).getMessage();
        assertMentions(message, "not a MambaIR checkpoint", "'fc.weight'");
    }

    @Test
    void unetDecoderBlocksMustMatchTheEncoder() {
        assertMentions(errorAfter("MambaIR_RealDN", s -> s.keySet().removeIf(k -> k.startsWith("decoder_level2.5."))),
                "missing tensor 'decoder_level2.5.skip_scale'");
    }

    @Test
    void theDualPixelUnetIsNotSilentlyAccepted() {
        assertMentions(errorAfter("MambaIR_RealDN", s -> s.put("skip_conv.weight", new long[] {96, 48, 1, 1})), "'skip_conv.weight'");
    }

    @Test
    void aUnetWithBiasedConvsIsRefused() {
        assertMentions(errorAfter("MambaIR_RealDN", s -> s.put("output.bias", new long[] {3})), "unexpected", "'output.bias'");
    }
}
