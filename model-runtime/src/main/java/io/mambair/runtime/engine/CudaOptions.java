package io.mambair.runtime.engine;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of ONNX Runtime's CUDA provider a GPU user tunes: TF32 tensor-core math for convolutions and matrix
 * products, a limit on the provider's GPU memory arena (0: none), and cuDNN's convolution algorithm search.
 */
public record CudaOptions(boolean tf32, long memoryLimitBytes, ConvAlgoSearch convAlgoSearch) implements Serializable {

    /** cuDNN's convolution algorithm choice: benchmark every algorithm, ask cuDNN's heuristics, or take the default. */
    public enum ConvAlgoSearch {
        EXHAUSTIVE, HEURISTIC, DEFAULT;

        /** Parses "exhaustive", "heuristic" or "default" (any case). */
        public static ConvAlgoSearch parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown cuDNN algorithm search '" + s + "' (valid: exhaustive, heuristic, default)");
            }
        }
    }

    public CudaOptions {
        Objects.requireNonNull(convAlgoSearch, "convAlgoSearch");
        if (memoryLimitBytes < 0) throw new IllegalArgumentException("GPU memory limit must be >= 0 bytes, got " + memoryLimitBytes);
    }

    /** TF32 off (float32 results, comparable with the official fp32 model), no memory limit, exhaustive search. */
    public static CudaOptions defaults() {
        return new CudaOptions(false, 0, ConvAlgoSearch.EXHAUSTIVE);
    }

    /** The options as ONNX Runtime's CUDA provider option keys and values. */
    public Map<String, String> providerOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("use_tf32", tf32 ? "1" : "0");
        if (memoryLimitBytes > 0) options.put("gpu_mem_limit", Long.toString(memoryLimitBytes));
        options.put("cudnn_conv_algo_search", convAlgoSearch.name());
        return options;
    }
}
