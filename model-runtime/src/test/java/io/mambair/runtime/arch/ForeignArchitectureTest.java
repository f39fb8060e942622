package io.mambair.runtime.arch;

import io.mambair.runtime.checkpoint.CheckpointException;
import io.mambair.runtime.checkpoint.StateDict;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint of another restoration architecture is refused by name, not as a MambaIR checkpoint missing a tensor. */
class ForeignArchitectureTest {
    /** The key names of SwinIR's official classic-SR x2 network (network_swinir.py), one residual group of one block. */
    private static Map<String, long[]> swinIr() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("conv_first.weight", new long[] {180, 3, 3, 3});
        s.put("conv_first.bias", new long[] {180});
        s.put("patch_embed.norm.weight", new long[] {180});
        String b = "layers.0.residual_group.blocks.0.";
        s.put(b + "norm1.weight", new long[] {180});
        s.put(b + "attn.relative_position_bias_table", new long[] {225, 6});
        s.put(b + "attn.relative_position_index", new long[] {64, 64});
        s.put(b + "attn.qkv.weight", new long[] {540, 180});
        s.put(b + "attn.proj.weight", new long[] {180, 180});
        s.put(b + "mlp.fc1.weight", new long[] {360, 180});
        s.put("layers.0.conv.weight", new long[] {180, 180, 3, 3});
        s.put("norm.weight", new long[] {180});
        s.put("conv_after_body.weight", new long[] {180, 180, 3, 3});
        s.put("conv_before_upsample.0.weight", new long[] {64, 180, 3, 3});
        s.put("upsample.0.weight", new long[] {256, 64, 3, 3});
        s.put("conv_last.weight", new long[] {3, 64, 3, 3});
        return s;
    }

    @Test
    void aSwinIrCheckpointIsNamedAsUnsupported() {
        StateDict state = OfficialStateDicts.zeros(swinIr());
        String m = assertThrows(CheckpointException.class, () -> ArchitectureInference.infer(state)).getMessage();
        assertTrue(m.startsWith("unsupported architecture SwinIR (key 'layers.0.residual_group.blocks.0.attn."), m);
        assertTrue(!m.contains("missing tensor"), m);
    }

    @Test
    void anRrdbNetCheckpointIsNamedAsUnsupported() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("conv_first.weight", new long[] {64, 3, 3, 3});
        s.put("body.0.rdb1.conv1.weight", new long[] {32, 64, 3, 3});
        s.put("conv_body.weight", new long[] {64, 64, 3, 3});
        s.put("conv_up1.weight", new long[] {64, 64, 3, 3});
        s.put("conv_last.weight", new long[] {3, 64, 3, 3});
        String m = assertThrows(CheckpointException.class, () -> ArchitectureInference.infer(OfficialStateDicts.zeros(s))).getMessage();
        assertTrue(m.contains("ESRGAN / Real-ESRGAN (RRDBNet)"), m);
    }

    @Test
    void noOfficialMambaIrLayoutLooksForeign() {
        var architectures = OfficialStateDicts.document().get("architectures").fields();
        int seen = 0;
        while (architectures.hasNext()) {
            var arch = architectures.next();
            assertTrue(ForeignArchitecture.identify(OfficialStateDicts.shapes(arch.getValue().get("state_dict")).keySet()).isEmpty(), arch.getKey());
            seen++;
        }
        assertTrue(seen >= 5, "official architectures checked: " + seen);
    }
}
