package io.mambair.runtime.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mambair.runtime.testing.SharedData;

import static io.mambair.runtime.checkpoint.CheckpointResources.assertMatchesTorch;
import static io.mambair.runtime.checkpoint.CheckpointResources.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading real torch.save checkpoints; expected values are what torch itself reads (see CheckpointResources). */
class TorchCheckpointReaderTest {

    @Test
    void nonContiguousOffsetAndSharedStorageViewsReadAsTorchReadsThem() {
        assertMatchesTorch("views.expected.json", CheckpointLoader.load(path("views.pth")));
    }

    @Test
    void halfBfloat16AndDoubleStoragesAreWidenedToFloat32AsTorchDoes() {
        assertMatchesTorch("dtypes.expected.json", CheckpointLoader.load(path("dtypes.pth")));
    }

    @Test
    void paramsEmaIsPreferredOverParamsAndModulePrefixesAreStripped() {
        StateDict state = CheckpointLoader.load(path("params_ema_module.pth"));
        assertMatchesTorch("params_ema_module.expected.json", state);
        assertTrue(state.keys().stream().noneMatch(k -> k.startsWith("module.")));
    }

    @Test
    void aPlainStateDictWithoutParamsWrapperIsRead() {
        assertMatchesTorch("plain_state_dict.expected.json", CheckpointLoader.load(path("plain_state_dict.pth")));
    }

    @Test
    void nnParameterValuesAreRead() {
        assertMatchesTorch("parameters.expected.json", CheckpointLoader.load(path("parameters.pth")));
    }

    @Test
    void aTorchLikeZipWrittenWithPlainPickleIsRead() {
        StateDict state = CheckpointLoader.load(path("handmade_ok.pth"));
        assertArrayEquals(new float[] {2, 3, 4}, state.get("w", 3).data(), "offset 1 into [1, 2, 3, 4]");
    }

    @Test
    void aProtocol4PickleIsRead() {
        assertMatchesTorch("protocol4.expected.json", CheckpointLoader.load(path("protocol4.pth")));
    }

    @Test
    void aBigEndianByteorderEntryIsHonoured() {
        assertArrayEquals(new float[] {2, 3, 4}, CheckpointLoader.load(path("big_endian.pth")).get("w", 3).data());
    }

    @Test
    void safetensorsWithEveryFloatDtypeIsRead() {
        assertMatchesTorch("tensors.expected.json", CheckpointLoader.load(path("tensors.safetensors")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic_sr_x2", "light_sr_x4", "color_dn", "car_gray", "real_dn_unet", "protocol_light_sr_x2_tiled"})
    void everyOfficialFixtureCheckpointLoads(String name) throws IOException {
        Path dir = SharedData.fixture(name);
        StateDict state = CheckpointLoader.load(dir.resolve("model.pth"));
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        if (config.has("param_count")) {
            assertEquals(config.get("param_count").asLong(), state.parameterCount());
            assertEquals(config.get("state_dict_tensors").asInt(), state.size());
        }
        for (Map.Entry<String, Tensor> e : state.asMap().entrySet()) {
            for (float v : e.getValue().data()) assertTrue(Float.isFinite(v), e.getKey());
        }
    }
}
