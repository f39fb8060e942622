package io.mambair.udfs.resize;

/** How {@link MatlabImresize} stores the result of each pass: kept as float, or rounded like MATLAB uint8/uint16. */
public enum SampleType {
    FLOAT(0), UINT8(255), UINT16(65535);

    private final int maxLevel;

    SampleType(int maxLevel) { this.maxLevel = maxLevel; }

    /** 0 for FLOAT, else the largest level. */
    public int maxLevel() { return maxLevel; }

    /** UINT8 for 8, UINT16 for 16, FLOAT for 32 (float {@code .npy} images). */
    public static SampleType forBitDepth(int bitDepth) {
        return switch (bitDepth) {
            case 8 -> UINT8;
            case 16 -> UINT16;
            case 32 -> FLOAT;
            default -> throw new IllegalArgumentException("no sample type for bit depth " + bitDepth);
        };
    }
}
