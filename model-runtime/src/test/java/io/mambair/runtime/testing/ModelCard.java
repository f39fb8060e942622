package io.mambair.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled demo model and the results its model card states (models/MODEL_CARD.md). */
public final class ModelCard {
    public static final String CHECKPOINT = "models/mambair_demo_light_x2.pth";
    public static final String CARD = "models/MODEL_CARD.md";
    /** A results row of the card: {@code | name | Y-PSNR | Y-SSIM | bicubic Y-PSNR |}, the mean row in bold. */
    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*\\**(\\w+)\\**\\s*\\|\\s*\\**([0-9.]+)\\**\\s*\\|\\s*\\**([0-9.]+)\\**\\s*\\|.*$", Pattern.MULTILINE);

    private ModelCard() {}

    /** The Set5 x2 results table: image stem (or "mean") -> {Y-PSNR, Y-SSIM}. */
    public static Map<String, double[]> set5X2Results() throws IOException {
        String text = Files.readString(repositoryFile(CARD));
        int start = text.indexOf("## Set5 x2 results");
        assertTrue(start >= 0, "MODEL_CARD.md has no '## Set5 x2 results' section");
        int end = text.indexOf("\n## ", start + 1);
        Matcher m = ROW.matcher(text.substring(start, end < 0 ? text.length() : end));
        Map<String, double[]> rows = new HashMap<>();
        while (m.find()) rows.put(m.group(1), new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
        return rows;
    }

    /** A file of the repository, found from the module directory tests run in or from the root. */
    public static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new AssertionError(relative + " not found in " + Path.of("").toAbsolutePath() + " or above");
    }
}
