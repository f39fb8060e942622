package io.mambair.udfs.cli;

import io.mambair.udfs.codec.DecodeOptions;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.degrade.Degradation;
import io.mambair.udfs.degrade.Degrader;
import io.mambair.udfs.degrade.OfficialReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mambair degrade}: makes a low-quality benchmark input from a high-quality image. */
@Command(name = "degrade", mixinStandardHelpOptions = true,
        description = "Write a degraded copy of HR: MATLAB-exact bicubic downscaling (after modcrop), then Gaussian noise "
                + "(the official denoising inputs: NumPy's np.random.seed(SEED); np.random.normal in BGR order), then JPEG. "
                + "The output format follows the extension (.png, .tif, .jpg; .npy keeps unclipped float32 values, (1, C, H, W) RGB).")
public final class DegradeCommand implements Callable<Integer> {
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "HR", description = "High-quality image (required).")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "LR", description = "Output file, written whole or not at all; .jpg without --jpeg-quality uses quality 95 (required).")
    Path output;

    @Option(names = "--bicubic-scale", defaultValue = "1", paramLabel = "S", description = "Downscale by S with MATLAB imresize bicubic (1 = none). Default: ${DEFAULT-VALUE}.")
    int bicubicScale;

    @Option(names = "--noise-sigma", defaultValue = "0", paramLabel = "SIGMA", description = "Gaussian noise sigma in 8-bit units (0 = none). Default: ${DEFAULT-VALUE}.")
    double noiseSigma;

    @Option(names = "--noise-seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of the noise, as np.random.seed(SEED), 0..4294967295. Default: ${DEFAULT-VALUE}.")
    long noiseSeed;

    @Option(names = "--jpeg-quality", defaultValue = "0", paramLabel = "Q", description = "Compress as JPEG at quality Q, 1..100 (0 = none). Default: ${DEFAULT-VALUE}.")
    int jpegQuality;

    @Option(names = "--grey", description = "Read HR as OpenCV's IMREAD_GRAYSCALE does (one channel), as the official grey denoising and JPEG tests do (default: off).")
    boolean grey;

    @Option(names = "--keep-orientation", description = "Keep the stored pixel orientation instead of applying the EXIF orientation (default: off).")
    boolean keepOrientation;

    @Option(names = "--max-pixels", defaultValue = "" + ImageFiles.DEFAULT_MAX_PIXELS, paramLabel = "N", description = "Refuse images with more pixels. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Override
    public Integer call() throws Exception {
        if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--output must differ from --input (inputs are never modified)");
        }
        Degradation d = new Degradation(bicubicScale, noiseSigma, noiseSeed, jpegQuality);
        DecodeOptions read = new DecodeOptions(grey, !keepOrientation);
        DecodedImage out = Degrader.apply(OfficialReference.forDegradation(ImageFiles.read(input, maxPixels, read), read, d), d);
        ImageFiles.write(output, out, jpegQuality > 0 ? jpegQuality : 95);
        return 0;
    }
}
