package io.mambair.runtime.graph;

/** How the selective scan is expressed in the ONNX graph. */
public enum ScanFormulation {
    /** Standard ONNX ops only (a {@code Scan} over the sequence): portable to every execution provider. */
    STANDARD,
    /** One fused {@code SelectiveScan2D} custom operator per block (CPU library shipped in the jar): fast on CPU. */
    FUSED;

    /** "standard" or "fused", as written in the images table and the ONNX metadata. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Parses "standard" or "fused" (case-insensitive). */
    public static ScanFormulation parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scan formulation '" + s + "' (valid: standard, fused)");
        }
    }
}
