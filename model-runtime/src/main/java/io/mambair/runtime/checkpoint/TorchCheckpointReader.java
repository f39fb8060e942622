package io.mambair.runtime.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code torch.save} zip checkpoint ({@code .pth}) into a {@link StateDict}. The state dict is taken as
 * BasicSR's {@code load_network} does: the top-level key {@code params_ema} if present, else {@code params},
 * else the top-level dict itself when all its values are tensors; {@code module.} prefixes are dropped.
 */
final class TorchCheckpointReader {
    private static final List<String> PARAM_KEYS = List.of("params_ema", "params");

    private TorchCheckpointReader() {}

    static StateDict read(Path file) {
        try (TorchZipArchive archive = TorchZipArchive.open(file)) {
            Object root = new RestrictedUnpickler(archive).parse(archive.pickle());
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : select(root).entrySet()) tensors.put(e.getKey(), e.getValue().materialize(e.getKey()));
            return new StateDict(StateDictKeys.stripModulePrefix(tensors));
        }
    }

    private static Map<String, TensorRef> select(Object root) {
        if (!(root instanceof Map<?, ?> top)) {
            throw new CheckpointException("checkpoint holds a " + typeName(root) + ", expected a dict with 'params' or a state dict");
        }
        for (String key : PARAM_KEYS) {
            if (top.containsKey(key)) return tensors(top.get(key), "'" + key + "'");
        }
        if (!top.isEmpty() && top.values().stream().allMatch(v -> v instanceof TensorRef)) return tensors(top, "the checkpoint");
        List<String> keys = new ArrayList<>();
        top.keySet().forEach(k -> keys.add(String.valueOf(k)));
        throw new CheckpointException("checkpoint has neither a 'params_ema' nor a 'params' entry and is not a plain state dict;"
                + " its top-level keys are " + keys);
    }

    private static Map<String, TensorRef> tensors(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new CheckpointException(where + " of the checkpoint is a " + typeName(value) + ", expected a state dict");
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new CheckpointException(where + " has a non-string key " + e.getKey());
            }
            if (!(e.getValue() instanceof TensorRef tensor)) {
                throw new CheckpointException("entry '" + key + "' of " + where + " is a " + typeName(e.getValue()) + ", not a tensor");
            }
            out.put(key, tensor);
        }
        if (out.isEmpty()) throw new CheckpointException(where + " of the checkpoint holds no tensors");
        return out;
    }

    private static String typeName(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }
}
