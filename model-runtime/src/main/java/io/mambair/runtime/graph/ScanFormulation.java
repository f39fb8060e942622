package io.mambair.runtime.graph;

/** How the selective scan is expressed in the ONNX graph. */
public enum ScanFormulation {
    /** Standard ONNX ops only (a {@code Scan} over the sequence): portable to every execution provider. */
    STANDARD,
    /** One fused {@code io.mambair:SelectiveScan} custom operator (CPU library shipped in the jar): fast on CPU. */
    FUSED;

    /** Parses "standard" or "fused" (case-insensitive). */
    public static ScanFormulation parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scan formulation '" + s + "' (valid: standard, fused)");
        }
    }
}
