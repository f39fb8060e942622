package io.mambair.runtime.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The checkpoints under {@code src/test/resources/checkpoint/} (made by {@code src/test/python/make_checkpoint_fixtures.py})
 * and their {@code *.expected.json} companions, which hold what torch itself reads from each tensor.
 */
final class CheckpointResources {
    private CheckpointResources() {}

    static Path path(String name) {
        URL url = CheckpointResources.class.getResource("/checkpoint/" + name);
        assertNotNull(url, "test resource checkpoint/" + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts that {@code state} holds exactly the tensors of {@code expectedJson}, in order, with bit-identical values. */
    static void assertMatchesTorch(String expectedJson, StateDict state) {
        JsonNode expected;
        try {
            expected = new ObjectMapper().readTree(path(expectedJson).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(toList(expected.fieldNames()), state.keys().stream().toList(), "keys in order");
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Tensor t = state.get(e.getKey());
            long[] shape = new long[e.getValue().get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.getValue().get("shape").get(i).asLong();
            assertArrayEquals(shape, t.shape(), "shape of " + e.getKey());
            JsonNode values = e.getValue().get("values");
            float[] want = new float[values.size()];
            for (int i = 0; i < want.length; i++) want[i] = (float) values.get(i).asDouble();
            assertArrayEquals(want, t.data(), "values of " + e.getKey());
        }
    }

    private static List<String> toList(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
