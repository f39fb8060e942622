package io.mambair.udfs.restore;

import io.mambair.runtime.model.ResolvedModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Models resolved once per JVM by path (checkpoint conversion costs seconds; rows must not repeat it). */
public final class ModelCache {
    private static final Map<String, ResolvedModel> MODELS = new ConcurrentHashMap<>();

    private ModelCache() {}

    /** The resolved model of a local checkpoint or .onnx path. */
    public static ResolvedModel get(String path) {
        return MODELS.computeIfAbsent(path, p -> {
            try {
                return ResolvedModel.resolve(Path.of(p));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load model " + p + ": " + e.getMessage(), e);
            }
        });
    }
}
