package io.mambair.runtime.graph;

import io.mambair.runtime.checkpoint.CheckpointException;
import io.mambair.runtime.checkpoint.StateDict;
import io.mambair.runtime.checkpoint.Tensor;

/** Turns state-dict tensors into graph initializers and emits the layers that use them. */
final class Weights {
    private final StateDict sd;
    private final OnnxGraph g;

    Weights(StateDict sd, OnnxGraph g) {
        this.sd = sd;
        this.g = g;
    }

    Tensor tensor(String key) { return sd.get(key); }
    boolean has(String key) { return sd.has(key); }

    /** The tensor as an initializer of its own shape. */
    String init(String key) {
        Tensor t = sd.get(key);
        return g.floats(key, t.data(), t.shape());
    }

    /** The tensor as an initializer of another shape with the same element count. */
    String init(String key, long... shape) {
        Tensor t = sd.get(key);
        if (Tensor.numel(shape) != t.data().length) {
            throw new CheckpointException("tensor '" + key + "' has " + t.data().length + " values, expected " + Tensor.numel(shape));
        }
        return g.floats(key, t.data(), shape);
    }

    /** Conv2d {@code prefix}.weight/.bias on an NCHW value with {@code inChannels}; groups and padding from shapes. */
    String conv(String x, String prefix, int inChannels, int dilation) {
        Tensor w = sd.get(prefix + ".weight");
        if (w.rank() != 4 || w.dim(2) != w.dim(3) || w.dim(2) % 2 == 0 || inChannels % w.dim(1) != 0) {
            throw new CheckpointException("tensor '" + prefix + ".weight' has an unsupported conv shape " + w);
        }
        int group = inChannels / w.dim(1);
        String bias = sd.has(prefix + ".bias") ? init(prefix + ".bias") : null;
        return g.conv(x, init(prefix + ".weight"), bias, w.dim(2), group, dilation);
    }

    /** nn.Linear on the last axis: x @ W^T (+ b). */
    String linear(String x, String prefix) {
        Tensor w = sd.get(prefix + ".weight");
        int out = w.dim(0);
        int in = w.dim(1);
        float[] t = new float[w.data().length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) t[i * out + o] = w.data()[o * in + i];
        }
        String y = g.matmul(x, g.floats(prefix + ".weight_t", t, in, out));
        return sd.has(prefix + ".bias") ? g.add(y, init(prefix + ".bias")) : y;
    }

    /** Outputs {@code from..to} of the nn.Linear {@code prefix} on the last axis: x @ W[from:to]^T (+ b[from:to]). */
    String linearRows(String x, String prefix, int from, int to) {
        Tensor w = sd.get(prefix + ".weight");
        int in = w.dim(1);
        int out = to - from;
        float[] t = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) t[i * out + o] = w.data()[(from + o) * in + i];
        }
        String y = g.matmul(x, g.floats(prefix + ".weight_t", t, in, out));
        if (!sd.has(prefix + ".bias")) return y;
        return g.add(y, g.floats(prefix + ".bias", java.util.Arrays.copyOfRange(sd.get(prefix + ".bias").data(), from, to), out));
    }

    /** nn.LayerNorm(eps 1e-5) over the last axis. */
    String layerNorm(String x, String prefix) {
        return g.layerNorm(x, init(prefix + ".weight"), init(prefix + ".bias"), 1e-5f);
    }

    /** Output channels of the conv {@code prefix}. */
    int outChannels(String prefix) { return sd.get(prefix + ".weight").dim(0); }
}
