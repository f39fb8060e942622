package io.mambair.runtime.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mambair.runtime.checkpoint.StateDict;
import io.mambair.runtime.checkpoint.Tensor;
import io.mambair.runtime.testing.SharedData;

/**
 * The shared reference {@code reference/official-state-dicts.json}: every official test config (yml) with the
 * state-dict keys and shapes the official code produces for it, and its parameter count.
 */
final class OfficialStateDicts {
    private OfficialStateDicts() {}

    static JsonNode document() {
        try {
            return new ObjectMapper().readTree(SharedData.require("reference/official-state-dicts.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The official key set (key to shape, in order) of the official test yml named {@code ymlName}. */
    static Map<String, long[]> ofYml(String ymlName) {
        JsonNode doc = document();
        for (JsonNode config : doc.get("configs")) {
            if (config.get("name").asText().equals(ymlName)) {
                return shapes(doc.get("architectures").get(config.get("arch_id").asText()).get("state_dict"));
            }
        }
        throw new IllegalArgumentException("no official config " + ymlName);
    }

    /** Key to shape, in the official order, from a {@code state_dict} listing {@code [[key, [shape]], ...]}. */
    static Map<String, long[]> shapes(JsonNode listing) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (JsonNode entry : listing) {
            long[] shape = new long[entry.get(1).size()];
            for (int i = 0; i < shape.length; i++) shape[i] = entry.get(1).get(i).asLong();
            shapes.put(entry.get(0).asText(), shape);
        }
        return shapes;
    }

    /** A state dict of zeros with exactly these keys and shapes. */
    static StateDict zeros(Map<String, long[]> shapes) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        shapes.forEach((k, s) -> tensors.put(k, new Tensor(s, new float[(int) Tensor.numel(s)])));
        return new StateDict(tensors);
    }
}
