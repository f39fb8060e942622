package io.mambair.runtime.checkpoint;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** An ordered map from parameter name to tensor, with lookups that fail naming the key. */
public final class StateDict {
    private final Map<String, Tensor> tensors;

    public StateDict(Map<String, Tensor> tensors) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public Set<String> keys() { return tensors.keySet(); }
    public boolean has(String key) { return tensors.containsKey(key); }
    public Map<String, Tensor> asMap() { return tensors; }
    public int size() { return tensors.size(); }

    /** The tensor named {@code key}; a {@link CheckpointException} naming the key when missing. */
    public Tensor get(String key) {
        Tensor t = tensors.get(key);
        if (t == null) throw new CheckpointException("checkpoint is missing tensor '" + key + "'");
        return t;
    }

    /** The tensor named {@code key}, checked to have exactly {@code shape}. */
    public Tensor get(String key, long... shape) {
        Tensor t = get(key);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new CheckpointException("tensor '" + key + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    /** Total number of elements (the model's parameter count: official MambaIR has no buffers). */
    public long parameterCount() {
        return tensors.values().stream().mapToLong(t -> t.data().length).sum();
    }
}
