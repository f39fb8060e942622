package io.mambair.runtime.restore;

/** How an image is cut for inference. */
public enum TileMode {
    /** One forward over the whole image. */
    WHOLE,
    /** Fixed-size tiles with overlaps blended by smooth weights; one tile shape serves every image. */
    BLEND,
    /** Exactly the official {@code MambaIRModel.test()} tiling, which reproduces published scores. */
    OFFICIAL;

    /** Parses "whole", "blend" or "official" (case-insensitive). */
    public static TileMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown tile mode '" + s + "' (valid: whole, blend, official)");
        }
    }

    public String id() { return name().toLowerCase(); }
}
