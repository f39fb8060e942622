package io.mambair.udfs.degrade;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecodeException;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.ImageEncoder;
import io.mambair.udfs.resize.Crop;
import io.mambair.udfs.resize.MatlabImresize;
import io.mambair.udfs.resize.SampleType;

import java.util.Random;

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
     * Adds N(0, (sigma/255)^2) to every sample, drawn from {@link Random} seeded with {@code seed} in CHW
     * order; no clipping (writing to an integer format clips). Not the numbers of NumPy's generator:
     * to reproduce published denoising results use their pre-made float {@code .npy} inputs.
     */
    public static PlanarImage gaussianNoise(PlanarImage image, double sigma, long seed) {
        Random random = new Random(seed);
        float[] src = image.data();
        float[] out = new float[src.length];
        double s = sigma / 255.0;
        for (int i = 0; i < src.length; i++) out[i] = (float) (src[i] + s * random.nextGaussian());
        return new PlanarImage(image.channels(), image.height(), image.width(), out);
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
