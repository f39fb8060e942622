package io.mambair.udfs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.udfs.metrics.MetricOptions;
import io.mambair.udfs.metrics.Quality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mambair metrics}: PSNR/SSIM of one image against its reference, printed as JSON. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Print {\"psnr\":..,\"ssim\":..} of IMG against GT in the BasicSR convention "
                + "(both rounded to 8 bits; IMG may be a float .npy, e.g. raw model output).")
public final class MetricsCommand implements Callable<Integer> {
    @Option(names = "--reference", required = true, paramLabel = "GT", description = "Ground-truth image (or .npy) (required).")
    Path reference;

    @Option(names = "--image", required = true, paramLabel = "IMG", description = "Image to score (or .npy) (required).")
    Path image;

    @Option(names = "--crop-border", defaultValue = "0", paramLabel = "N", description = "Pixels cropped from each edge (the scale for SR). Default: ${DEFAULT-VALUE}.")
    int cropBorder;

    @Option(names = "--y-channel", description = "Score the Y channel (16 + 65.481R + 128.553G + 24.966B, unrounded) instead of RGB (default: RGB).")
    boolean yChannel;

    @Option(names = "--bit-depth", defaultValue = "8", paramLabel = "8|16", description = "Round to this many bits first; 16 uses the data range 65535. Default: ${DEFAULT-VALUE}.")
    int bitDepth;

    @Option(names = "--max-pixels", defaultValue = "" + ImageFiles.DEFAULT_MAX_PIXELS, paramLabel = "N", description = "Refuse images with more pixels. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Quality q = Quality.measure(ImageFiles.read(reference, maxPixels).color(), ImageFiles.read(image, maxPixels).color(),
                new MetricOptions(cropBorder, yChannel, bitDepth));
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("psnr", q.psnr());
        out.put("ssim", q.ssim());
        spec.commandLine().getOut().println(json.writeValueAsString(out));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
