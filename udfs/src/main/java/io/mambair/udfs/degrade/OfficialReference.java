package io.mambair.udfs.degrade;

import io.mambair.udfs.codec.DecodeOptions;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecodeException;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.restore.ImageRestore;

/**
 * A benchmark reference read as the official BasicSR tests read it for a model of {@code modelChannels}:
 * grey models get OpenCV's {@code IMREAD_GRAYSCALE} (grey denoising, JPEG CAR), colour models
 * {@code IMREAD_COLOR} (a grey file as three equal planes), so synthesised noise has the official shape.
 */
public final class OfficialReference {
    private OfficialReference() {}

    /** The reference decoded for a model of 1 or 3 input channels; {@code applyOrientation} as {@link DecodeOptions}. */
    public static DecodedImage read(byte[] bytes, String name, long maxPixels, int modelChannels, boolean applyOrientation)
            throws ImageDecodeException {
        DecodedImage ref = ImageFiles.decode(bytes, name, maxPixels, new DecodeOptions(modelChannels == 1, applyOrientation));
        return ref.withColor(ImageRestore.modelInput(ref.color(), modelChannels));
    }

    /**
     * The image {@code d} starts from, as the official tests hold it: where noise or JPEG is synthesised from an
     * image not read grey ({@code IMREAD_COLOR}), a grey file as three equal planes; MATLAB's bicubic keeps its planes.
     */
    public static DecodedImage forDegradation(DecodedImage image, DecodeOptions read, Degradation d) {
        boolean synthesised = d.noiseSigma() > 0 || d.jpegQuality() > 0;
        return synthesised && !read.grey() ? image.withColor(ImageRestore.modelInput(image.color(), 3)) : image;
    }
}
