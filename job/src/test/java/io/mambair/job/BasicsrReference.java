package io.mambair.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The independent BasicSR metrics of {@code basicsr/basicsr_metrics.py}, run by Debian's
 * {@code /usr/bin/python3} with numpy and OpenCV (installed by .ci/run).
 */
public final class BasicsrReference {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BasicsrReference() {}

    /** BasicSR's metrics of one pair. */
    public record Metrics(double psnr, double ssim, double psnrY, double ssimY) {}

    /** Writes each pair's source converted to grey by OpenCV to the pair's target. */
    public static void grey(List<Path[]> sourceAndTarget) throws Exception {
        List<String> args = new ArrayList<>(List.of("grey"));
        for (Path[] p : sourceAndTarget) {
            args.add(p[0].toString());
            args.add(p[1].toString());
        }
        run(args);
    }

    /** The metrics of each (reference, restored) pair with {@code cropBorder}, in order. */
    public static List<Metrics> metrics(int cropBorder, List<Path[]> pairs) throws Exception {
        List<String> args = new ArrayList<>(List.of("metrics", String.valueOf(cropBorder)));
        for (Path[] p : pairs) {
            args.add(p[0].toString());
            args.add(p[1].toString());
        }
        List<Metrics> out = new ArrayList<>();
        for (String line : run(args).split("\n")) {
            if (line.isBlank()) continue;
            JsonNode n = JSON.readTree(line);
            out.add(new Metrics(n.get("psnr").asDouble(), n.get("ssim").asDouble(), n.get("psnr_y").asDouble(), n.get("ssim_y").asDouble()));
        }
        if (out.size() != pairs.size()) throw new IllegalStateException("BasicSR reference gave " + out.size() + " results for " + pairs.size());
        return out;
    }

    private static String run(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", JobTestSupport.resource("basicsr/basicsr_metrics.py").toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("/usr/bin/python3 with numpy and OpenCV is needed (apt: python3-numpy python3-opencv): " + out);
        }
        return out;
    }
}
