package io.mambair.runtime.arch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mambair.runtime.arch.ModelConfig.Family;
import io.mambair.runtime.checkpoint.CheckpointLoader;
import io.mambair.runtime.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The official fixture checkpoints (real torch.save files of the official code): inference gives their config.json. */
class FixtureInferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"classic_sr_x2", "light_sr_x4", "color_dn", "car_gray"})
    void mambaIRFixturesInferToTheirConstructorArguments(String name) throws IOException {
        Path dir = SharedData.fixture(name);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        JsonNode kw = json.get("effective_kwargs");
        ModelConfig config = ArchitectureInference.infer(CheckpointLoader.load(dir.resolve("model.pth")));

        assertEquals(Family.MAMBAIR, config.family());
        assertEquals(kw.get("upscale").asInt(), config.scale());
        assertEquals(kw.get("in_chans").asInt(), config.inChans());
        assertEquals(kw.get("embed_dim").asInt(), config.embedDim());
        assertEquals(ints(kw.get("depths")), config.depths());
        assertEquals(kw.get("d_state").asInt(), config.dState());
        assertEquals(kw.get("mlp_ratio").asDouble(), config.mlpRatio());
        assertEquals(kw.get("upsampler").asText(), config.upsampler().official());
        assertEquals(kw.get("resi_connection").asText(), config.resiConnection());
        assertEquals(kw.get("img_range").asDouble(), config.imgRange());
        assertEquals(json.get("derived").get("is_light_sr").asBoolean(), config.lightCab());
        JsonNode ss2d = json.get("derived").get("ss2d").get(0);
        assertEquals(ss2d.get("d_inner").asInt(), config.dInner(config.embedDim()), "d_inner (truncated for 36 x 1.2)");
        assertEquals(ss2d.get("dt_rank").asInt(), ModelConfig.dtRank(config.embedDim()));
        assertEquals(json.get("param_count").asLong(), config.parameterCount());
        int[] outputShape = ints(json.get("output_shape")).stream().mapToInt(Integer::intValue).toArray();
        int[] inputShape = ints(json.get("input_shape")).stream().mapToInt(Integer::intValue).toArray();
        assertEquals(outputShape[2], inputShape[2] * config.scale(), "output height = scale x input height");
        assertEquals(outputShape[1], config.outChans());
    }

    @ParameterizedTest
    @ValueSource(strings = {"real_dn_unet"})
    void theUNetFixtureInfersToItsConstructorArguments(String name) throws IOException {
        Path dir = SharedData.fixture(name);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        JsonNode kw = json.get("effective_kwargs");
        ModelConfig config = ArchitectureInference.infer(CheckpointLoader.load(dir.resolve("model.pth")));

        assertEquals(Family.UNET, config.family());
        assertEquals(ModelConfig.Task.REAL_DN, config.task());
        assertEquals(1, config.scale());
        assertEquals(kw.get("inp_channels").asInt(), config.inChans());
        assertEquals(kw.get("out_channels").asInt(), config.outChans());
        assertEquals(kw.get("dim").asInt(), config.embedDim());
        assertEquals(ints(kw.get("num_blocks")), config.depths(), "level-1 blocks may be 0");
        assertEquals(kw.get("num_refinement_blocks").asInt(), config.refinementBlocks());
        assertEquals(kw.get("mlp_ratio").asDouble(), config.mlpRatio());
        for (JsonNode ss2d : json.get("derived").get("ss2d")) {
            assertEquals(ss2d.get("d_inner").asInt(), config.dInner(ss2d.get("d_model").asInt()));
            assertEquals(ss2d.get("d_state").asInt(), config.dState());
        }
        assertEquals(json.get("derived").get("hw_multiple_of").asInt(), config.sizeMultiple());
        assertEquals(json.get("param_count").asLong(), config.parameterCount());
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
