package io.mambair.runtime.arch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mambair.runtime.arch.ModelConfig.Task;
import io.mambair.runtime.arch.ModelConfig.Upsampler;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Variants no official yml uses ('3conv', pixelshuffle x8, one-channel light SR, other widths), made by editing the
 * official key sets the way the official constructor would change them; parameter counts are worked out by hand here.
 */
class EditedKeySetInferenceTest {

    private static long count(Map<String, long[]> shapes) {
        long n = 0;
        for (long[] s : shapes.values()) {
            long e = 1;
            for (long d : s) e *= d;
            n += e;
        }
        return n;
    }

    /** '3conv': Conv(C, C/4, 3), LeakyReLU, Conv(C/4, C/4, 1), LeakyReLU, Conv(C/4, C, 3) at conv_after_body and every layers.i.conv. */
    private static Map<String, long[]> toThreeConv(Map<String, long[]> shapes, int c, int groups) {
        Map<String, long[]> out = new LinkedHashMap<>(shapes);
        for (int i = 0; i <= groups; i++) {
            String p = i < groups ? "layers." + i + ".conv" : "conv_after_body";
            out.remove(p + ".weight");
            out.remove(p + ".bias");
            out.put(p + ".0.weight", new long[] {c / 4, c, 3, 3});
            out.put(p + ".0.bias", new long[] {c / 4});
            out.put(p + ".2.weight", new long[] {c / 4, c / 4, 1, 1});
            out.put(p + ".2.bias", new long[] {c / 4});
            out.put(p + ".4.weight", new long[] {c, c / 4, 3, 3});
            out.put(p + ".4.bias", new long[] {c});
        }
        return out;
    }

    @Test
    void threeConvClassicSrX2IsInferred() {
        ModelConfig config = ArchitectureInference.infer(OfficialStateDicts.zeros(toThreeConv(OfficialStateDicts.ofYml("test_MambaIR_SR_x2"), 180, 6)));
        assertEquals("3conv", config.resiConnection());
        assertEquals(Task.CLASSIC_SR, config.task());
        assertEquals(2, config.scale());
        assertEquals(List.of(6, 6, 6, 6, 6, 6), config.depths());
        long oneConv = 180L * 180 * 9 + 180;
        long threeConv = 45L * 180 * 9 + 45 + 45L * 45 + 45 + 180L * 45 * 9 + 180;
        assertEquals(20_421_863L - 7 * oneConv + 7 * threeConv, config.parameterCount());
    }

    @Test
    void threeConvLightSrX3IsInferred() {
        ModelConfig config = ArchitectureInference.infer(OfficialStateDicts.zeros(toThreeConv(OfficialStateDicts.ofYml("test_MambaIR_lightSR_x3"), 60, 4)));
        assertEquals("3conv", config.resiConnection());
        assertEquals(Task.LIGHT_SR, config.task());
        assertEquals(3, config.scale());
        long oneConv = 60L * 60 * 9 + 60;
        long threeConv = 15L * 60 * 9 + 15 + 15L * 15 + 15 + 60L * 15 * 9 + 60;
        assertEquals(913_131L - 5 * oneConv + 5 * threeConv, config.parameterCount());
    }

    @Test
    void pixelShuffleX8HasThreeUpsampleStages() {
        Map<String, long[]> shapes = new LinkedHashMap<>(OfficialStateDicts.ofYml("test_MambaIR_SR_x4"));
        shapes.put("upsample.4.weight", new long[] {256, 64, 3, 3});
        shapes.put("upsample.4.bias", new long[] {256});
        ModelConfig config = ArchitectureInference.infer(OfficialStateDicts.zeros(shapes));
        assertEquals(8, config.scale());
        assertEquals(20_569_575L + 256L * 64 * 9 + 256, config.parameterCount());
    }

    @Test
    void oneChannelLightSrScalesFromTheUpsampleWidth() {
        Map<String, long[]> shapes = new LinkedHashMap<>(OfficialStateDicts.ofYml("test_MambaIR_lighSR_x2"));
        shapes.put("conv_first.weight", new long[] {60, 1, 3, 3});
        shapes.put("upsample.0.weight", new long[] {9, 60, 3, 3});
        shapes.put("upsample.0.bias", new long[] {9});
        ModelConfig config = ArchitectureInference.infer(OfficialStateDicts.zeros(shapes));
        assertEquals(1, config.inChans());
        assertEquals(1, config.outChans());
        assertEquals(3, config.scale());
        assertEquals(Upsampler.PIXELSHUFFLE_DIRECT, config.upsampler());
        assertEquals(905_016L - 60 * 2 * 9 - 3 * 60 * 9 - 3, config.parameterCount());
    }

    /** The official yml ratios at other widths, including ones where int(ratio * C) truncates. */
    @Test
    void mlpRatioIsRecoveredForOtherWidthsAndDepths() {
        double[] ratios = {1.2, 1.5, 2.0, 2.5, 1.0};
        int[] widths = {30, 36, 42, 60, 96, 180};
        for (double ratio : ratios) {
            for (int c : widths) {
                ModelConfig wanted = new ModelConfig(ModelConfig.Family.MAMBAIR, Task.COLOR_DN, 1, 3, 3, c, List.of(1, 0, 2), 0, 8,
                        ratio, Upsampler.NONE, "1conv", 1.0, 0);
                ModelConfig config = ArchitectureInference.infer(OfficialStateDicts.zeros(MambaIRLayout.of(wanted)));
                assertEquals((int) (ratio * c), config.dInner(c), "d_inner for C=" + c + " ratio " + ratio);
                assertEquals(ratio, config.mlpRatio(), "C=" + c);
                assertEquals(List.of(1, 0, 2), config.depths());
                assertEquals(8, config.dState());
            }
        }
    }
}
