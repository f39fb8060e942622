package io.mambair.udfs.degrade;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecodeException;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.ImageEncoder;
import io.mambair.udfs.random.NumpyRandomState;
import io.mambair.udfs.resize.Crop;
import io.mambair.udfs.resize.MatlabImresize;
import io.mambair.udfs.resize.SampleType;


/** Makes low-quality benchmark inputs from high-quality images (see {@link Degradation}). */
public final class Degrader {
    private Degrader() {}

    /** Applies {@code d} to the colour planes; the alpha plane is only resized. */
    public static DecodedImage apply(DecodedImage image, Degradation d) {
        DecodedImage out = image;
        if (d.bicubicScale() > 1) out = bicubicDown(out, d.bicubicScale());
        if (d.noiseSigma() > 0) out = out.withColor(gaussianNoise(out.color(), d.noiseSigma(), d.noiseSeed()));
        if (d.jpegQuality() > 0) out = jpeg(out, d.jpegQuality());
        return out;
    }

    /** Modcrop to a multiple of {@code scale}, then MATLAB {@code imresize(img, 1/scale, 'bicubic')} at the image's own sample type. */
    public static DecodedImage bicubicDown(DecodedImage image, int scale) {
        SampleType type = SampleType.forBitDepth(image.bitDepth());
        return image.mapPlanes(p -> MatlabImresize.resize(Crop.modcrop(p, scale), 1.0 / scale, type));
    }

    /**
     * Adds the official denoising benchmark's noise: {@code np.random.seed(seed)}, then
     * {@code np.random.normal(0, sigma/255, (H, W, C))} drawn in C order with the channels in OpenCV's
     * BGR order, added in float64 to each float32 sample, unclipped, and rounded once to float32.
     */
    public static PlanarImage gaussianNoise(PlanarImage image, double sigma, long seed) {
        NumpyRandomState random = new NumpyRandomState(seed);
        int channels = image.channels();
        int plane = image.height() * image.width();
        float[] src = image.data();
        float[] out = new float[src.length];
        double scale = sigma / 255.0;
        for (int i = 0; i < plane; i++) {
            for (int bgr = 0; bgr < channels; bgr++) {
                int at = (channels - 1 - bgr) * plane + i;
                out[at] = (float) (src[at] + random.normal(0.0, scale));
            }
        }
        return new PlanarImage(channels, image.height(), image.width(), out);
    }

    /** Encodes the colour planes as 8-bit JPEG at {@code quality} (1..100) and decodes them again; the result is 8-bit. */
    public static DecodedImage jpeg(DecodedImage image, int quality) {
        DecodedImage colorOnly = DecodedImage.of(image.color(), 8, image.format());
        byte[] bytes = ImageEncoder.encode(colorOnly, "jpeg", quality);
        try {
            PlanarImage decoded = ImageDecoder.decode(bytes, "jpeg q" + quality, image.color().pixels()).color();
            return new DecodedImage(decoded, image.alpha(), 8, image.format());
        } catch (ImageDecodeException e) {
            throw new IllegalStateException("re-reading our own JPEG failed", e);
        }
    }
}
