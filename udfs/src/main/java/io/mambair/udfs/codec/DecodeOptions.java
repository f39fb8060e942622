package io.mambair.udfs.codec;

/**
 * How an image file is read: {@code grey} reads it as OpenCV's {@code IMREAD_GRAYSCALE} does (one channel,
 * alpha dropped); {@code applyOrientation} turns it as its EXIF orientation says, as viewers show it.
 */
public record DecodeOptions(boolean grey, boolean applyOrientation) {
    /** As a viewer shows it: stored channels, EXIF orientation applied. */
    public static final DecodeOptions DEFAULT = new DecodeOptions(false, true);

    /** As OpenCV's {@code cv2.imread(path, cv2.IMREAD_GRAYSCALE)} reads it (orientation applied, as OpenCV does). */
    public static final DecodeOptions GREY = new DecodeOptions(true, true);

    /** The same options with EXIF orientation applied or the stored orientation kept. */
    public DecodeOptions withOrientation(boolean apply) {
        return new DecodeOptions(grey, apply);
    }
}
