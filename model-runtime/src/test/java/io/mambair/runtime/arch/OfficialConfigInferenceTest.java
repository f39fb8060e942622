package io.mambair.runtime.arch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.mambair.runtime.arch.ModelConfig.Family;
import io.mambair.runtime.arch.ModelConfig.Task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For every official test yml (13 configs, from reference/official-state-dicts.json): a state dict with exactly the
 * official keys and shapes infers to the yml's network_g values and the official parameter count, and
 * {@link MambaIRLayout} reproduces the official key list (names, order, shapes) from the inferred config.
 */
class OfficialConfigInferenceTest {
    static Stream<Arguments> officialConfigs() {
        JsonNode doc = OfficialStateDicts.document();
        List<Arguments> out = new ArrayList<>();
        for (JsonNode config : doc.get("configs")) {
            out.add(Arguments.of(config.get("name").asText(), config, doc.get("architectures").get(config.get("arch_id").asText())));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("officialConfigs")
    void inferenceGivesTheYmlValuesAndTheOfficialParameterCount(String name, JsonNode yml, JsonNode arch) {
        ModelConfig config = ArchitectureInference.infer(OfficialStateDicts.zeros(OfficialStateDicts.shapes(arch.get("state_dict"))));
        JsonNode kw = arch.get("effective_kwargs");
        assertEquals(arch.get("param_count").asLong(), config.parameterCount(), "param_count");
        assertEquals(expectedTask(name), config.task());
        if (arch.get("type").asText().equals("MambaIRUNet")) {
            assertEquals(Family.UNET, config.family());
            assertEquals(1, config.scale());
            assertEquals(kw.get("inp_channels").asInt(), config.inChans());
            assertEquals(kw.get("out_channels").asInt(), config.outChans());
            assertEquals(kw.get("dim").asInt(), config.embedDim());
            assertEquals(ints(kw.get("num_blocks")), config.depths());
            assertEquals(kw.get("num_refinement_blocks").asInt(), config.refinementBlocks());
            for (JsonNode ss2d : arch.get("derived").get("ss2d")) {
                assertEquals(ss2d.get("d_inner").asInt(), config.dInner(ss2d.get("d_model").asInt()), "d_inner at " + ss2d);
                assertEquals(ss2d.get("dt_rank").asInt(), ModelConfig.dtRank(ss2d.get("d_model").asInt()));
                assertEquals(ss2d.get("d_state").asInt(), config.dState());
            }
        } else {
            assertEquals(Family.MAMBAIR, config.family());
            assertEquals(yml.get("scale").asInt(), config.scale(), "scale");
            assertEquals(kw.get("in_chans").asInt(), config.inChans());
            assertEquals(kw.get("in_chans").asInt(), config.outChans());
            assertEquals(kw.get("embed_dim").asInt(), config.embedDim());
            assertEquals(ints(kw.get("depths")), config.depths());
            assertEquals(kw.get("d_state").asInt(), config.dState());
            assertEquals(kw.get("upsampler").asText(), config.upsampler().official());
            assertEquals(kw.get("resi_connection").asText(), config.resiConnection());
            assertEquals(kw.get("img_range").asDouble(), config.imgRange());
            assertEquals(arch.get("derived").get("is_light_sr").asBoolean(), config.lightCab());
            JsonNode ss2d = arch.get("derived").get("ss2d").get(0);
            assertEquals(ss2d.get("d_inner").asInt(), config.dInner(config.embedDim()));
            assertEquals(ss2d.get("dt_rank").asInt(), ModelConfig.dtRank(config.embedDim()));
        }
        assertEquals(kw.get("mlp_ratio").asDouble(), config.mlpRatio(), "mlp_ratio");
        assertLayoutIsTheOfficialOne(arch.get("state_dict"), MambaIRLayout.of(config));
    }

    private static void assertLayoutIsTheOfficialOne(JsonNode listing, Map<String, long[]> layout) {
        Map<String, long[]> official = OfficialStateDicts.shapes(listing);
        assertEquals(List.copyOf(official.keySet()), List.copyOf(layout.keySet()), "keys in state_dict() order");
        official.forEach((k, s) -> assertArrayEquals(s, layout.get(k), k));
    }

    /** The task each official yml is for, from its name (independent of how inference maps structure to a task). */
    private static Task expectedTask(String yml) {
        if (yml.contains("_SR_x")) return Task.CLASSIC_SR;
        if (yml.contains("lighSR") || yml.contains("lightSR")) return Task.LIGHT_SR;
        if (yml.contains("ColorDN")) return Task.COLOR_DN;
        if (yml.contains("CAR")) return Task.GRAY_DN_OR_CAR;
        if (yml.contains("RealDN")) return Task.REAL_DN;
        throw new AssertionError("unknown official config " + yml);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
