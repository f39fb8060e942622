package io.mambair.runtime.engine;

import java.util.Locale;

/**
 * Which selective-scan formulation a run asks for ({@code restore.scan}, {@code --scan}, the SQL option {@code scan}):
 * AUTO lets {@link ScanChoice} pick (the fused operator where it loads and, on a GPU, passes its self-test), FUSED and
 * STANDARD force one (an error when the model or this process cannot run it).
 */
public enum ScanMode {
    AUTO, FUSED, STANDARD;

    /** Parses "auto", "fused" or "standard" (any case). */
    public static ScanMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scan '" + s + "' (valid: auto, fused, standard)");
        }
    }

    /** "auto", "fused" or "standard". */
    public String label() { return name().toLowerCase(Locale.ROOT); }
}
