package io.mambair.runtime.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.runtime.arch.ArchitectureInference;
import io.mambair.runtime.arch.ModelConfig;
import io.mambair.runtime.arch.ModelConfig.Family;
import io.mambair.runtime.checkpoint.CheckpointLoader;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.npy.Npy;
import io.mambair.runtime.testing.TestRequirements;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Official PyTorch outputs for configurations the shared fixtures do not cover (classic SR x3/x4, light SR x2/x3,
 * '3conv', other widths/depths/d_state/mlp_ratio, long and non-square inputs, extreme scan parameters, UNet level-1
 * blocks), reproduced from their checkpoints. The cases under {@code src/test/resources/variants/} were written by
 * {@code src/test/python/make_variant_vectors.py} running the official MambaIR code.
 */
class OfficialVariantsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path variantsRoot() throws URISyntaxException {
        return Path.of(OfficialVariantsTest.class.getResource("/variants").toURI());
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(variantsRoot())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Stream<Arguments> casesAndScans() throws IOException, URISyntaxException {
        List<Arguments> a = new ArrayList<>();
        for (String c : cases().toList()) {
            a.add(Arguments.of(c, ScanFormulation.STANDARD));
            a.add(Arguments.of(c, ScanFormulation.FUSED));
        }
        return a.stream();
    }

    @ParameterizedTest
    @MethodSource("casesAndScans")
    void wholeImageRestoreMatchesTheOfficialOutput(String variant, ScanFormulation scan) throws Exception {
        TestRequirements.requireScan(scan);
        Path dir = variantsRoot().resolve(variant);
        ResolvedModel model = ResolvedModel.resolve(dir.resolve("model.pth"), scan);
        PlanarImage out = OfficialFixturesTest.restoreWhole(model, dir.resolve("input.npy"));
        Npy.FloatArray expected = Npy.read(dir.resolve("output.npy"));
        assertArrayEquals(expected.shape(), new long[] {1, out.channels(), out.height(), out.width()});
        float diff = OfficialFixturesTest.maxAbsDiff(expected.data(), out.data());
        assertTrue(diff <= 1e-4f, variant + " " + scan + ": max abs diff " + diff);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void inferenceGivesTheOfficialConstructorArguments(String variant) throws Exception {
        Path dir = variantsRoot().resolve(variant);
        JsonNode json = JSON.readTree(dir.resolve("config.json").toFile());
        JsonNode kw = json.get("kwargs");
        ModelConfig config = ArchitectureInference.infer(CheckpointLoader.load(dir.resolve("model.pth")));

        if (json.get("arch").asText().equals("MambaIRUNet")) {
            assertEquals(Family.UNET, config.family());
            assertEquals(ModelConfig.Task.REAL_DN, config.task());
            assertEquals(kw.get("inp_channels").asInt(), config.inChans());
            assertEquals(kw.get("out_channels").asInt(), config.outChans());
            assertEquals(kw.get("dim").asInt(), config.embedDim());
            assertEquals(ints(kw.get("num_blocks")), config.depths());
            assertEquals(kw.get("num_refinement_blocks").asInt(), config.refinementBlocks());
            assertEquals(json.get("derived").get("hw_multiple_of").asInt(), config.sizeMultiple());
        } else {
            assertEquals(Family.MAMBAIR, config.family());
            assertEquals(kw.get("upscale").asInt(), config.scale());
            assertEquals(kw.get("in_chans").asInt(), config.inChans());
            assertEquals(kw.get("embed_dim").asInt(), config.embedDim());
            assertEquals(ints(kw.get("depths")), config.depths());
            assertEquals(kw.get("d_state").asInt(), config.dState());
            assertEquals(kw.get("upsampler").asText(), config.upsampler().official());
            assertEquals(kw.get("resi_connection").asText(), config.resiConnection());
            assertEquals(kw.get("img_range").asDouble(), config.imgRange());
            assertEquals(json.get("derived").get("is_light_sr").asBoolean(), config.lightCab());
        }
        assertEquals(kw.get("mlp_ratio").asDouble(), config.mlpRatio());
        for (JsonNode ss2d : json.get("derived").get("ss2d")) {
            int width = ss2d.get("d_model").asInt();
            assertEquals(ss2d.get("d_inner").asInt(), config.dInner(width), "d_inner at width " + width);
            assertEquals(ss2d.get("dt_rank").asInt(), ModelConfig.dtRank(width), "dt_rank at width " + width);
            assertEquals(ss2d.get("d_state").asInt(), config.dState(), "d_state at width " + width);
        }
        assertEquals(json.get("param_count").asLong(), config.parameterCount());
        long[] in = longs(json.get("input_shape"));
        long[] out = longs(json.get("output_shape"));
        assertEquals(out[1], config.outChans());
        assertEquals(out[2], in[2] * config.scale());
        assertEquals(out[3], in[3] * config.scale());
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static long[] longs(JsonNode array) {
        return ints(array).stream().mapToLong(Integer::longValue).toArray();
    }
}
