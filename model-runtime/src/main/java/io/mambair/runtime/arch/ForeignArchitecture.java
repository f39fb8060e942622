package io.mambair.runtime.arch;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Recognises checkpoints of restoration architectures this library does not run (by key names their
 * official code writes), so they are refused as "unsupported architecture X" instead of a missing tensor.
 */
final class ForeignArchitecture {
    private record Marker(String architecture, Predicate<String> key) {}

    // Ordered: the more specific transformer variants before SwinIR, whose window attention they share.
    private static final List<Marker> MARKERS = List.of(
            new Marker("MambaIRv2", k -> k.contains(".assm.") || k.contains("embeddingB")),
            new Marker("HAT", k -> k.contains("overlap_attn.")),
            new Marker("SwinIR", k -> k.contains("attn.relative_position_bias_table")),
            new Marker("ESRGAN / Real-ESRGAN (RRDBNet)", k -> k.contains(".rdb1.") || k.startsWith("RRDB_trunk.")),
            new Marker("EDSR / RCAN", k -> k.startsWith("head.0.") || k.startsWith("tail.0.")),
            new Marker("Restormer", k -> k.contains(".attn.temperature")),
            new Marker("NAFNet", k -> k.startsWith("encoders.0.")));

    private ForeignArchitecture() {}

    /** The name of the other architecture {@code keys} come from, with the key that shows it, when recognisable. */
    static Optional<String> identify(Collection<String> keys) {
        for (Marker m : MARKERS) {
            Optional<String> key = keys.stream().filter(m.key()).sorted().findFirst();
            if (key.isPresent()) return Optional.of(m.architecture() + " (key '" + key.get() + "')");
        }
        return Optional.empty();
    }
}
