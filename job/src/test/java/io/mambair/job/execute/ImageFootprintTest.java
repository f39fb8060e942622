package io.mambair.job.execute;

import io.mambair.runtime.testing.Slow;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The predicted footprint of an image against the heap its stages really need, measured by
 * {@link FootprintProbe} in a JVM of its own (the smallest free heap in which read, restore and finish
 * complete, to 3%). The margin: the prediction plus {@value #SLACK_MIB} MiB covers the need (the slack is
 * the JVM's, not the image's: G1's eden and survivor regions and large arrays rounded up to whole 1 MiB
 * regions, 2 to 7 MiB on this 512 MiB heap whatever the image size) and is at most {@value #HIGH} times it,
 * for each tile mode and model family (light SR x4, classic SR x2, colour denoising x1), in enhance mode
 * (PNG, TIFF or JPEG output) and in benchmark mode. Slow: each case bisects its need over about 8 runs.
 */
@Slow
class ImageFootprintTest {
    static final double HIGH = 1.5;
    static final int SLACK_MIB = 8;
    private static final String CLASSPATH = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    private static final Pattern LINE = Pattern.compile("predicted (\\d+) .* need (\\d+)");

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
            "light_sr_x4, blend, png, enhance", "light_sr_x4, official, png, enhance", "light_sr_x4, whole, png, enhance",
            "classic_sr_x2, blend, tiff, enhance", "classic_sr_x2, official, jpg, enhance", "classic_sr_x2, whole, png, enhance",
            "color_dn, blend, png, enhance", "color_dn, official, tiff, enhance", "color_dn, whole, jpg, enhance",
            "light_sr_x4, blend, png, benchmark", "classic_sr_x2, official, tiff, benchmark"})
    void predictionCoversTheMeasuredNeedWithinTheMargin(String family, String mode, String format, String kind, @TempDir Path dir)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", CLASSPATH, FootprintProbe.class.getName(), family, mode, format, kind, dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "probe timed out");
        assertEquals(0, p.exitValue(), out);
        Matcher m = LINE.matcher(out);
        assertTrue(m.find(), out);
        long predicted = Long.parseLong(m.group(1));
        long need = Long.parseLong(m.group(2));
        System.out.printf("footprint %s %s %s %s: %s, ratio %.2f%n", family, mode, format, kind, m.group(), (double) predicted / need);
        assertTrue(predicted + ((long) SLACK_MIB << 20) >= need, "predicted " + predicted + " + " + SLACK_MIB + " MiB < measured need " + need
                + ": " + m.group());
        assertTrue(predicted <= HIGH * need, "predicted " + predicted + " > " + HIGH + " x measured need " + need + ": " + m.group());
    }
}
