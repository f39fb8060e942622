package io.mambair.udfs.cli;

import io.mambair.runtime.cli.CommandErrors;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code restore} of a multi-megapixel photo (a crop of a real one) prints a progress line every interval; pixels move and the ETA falls. */
class RestoreCommandProgressTest {
    private static final Pattern LINE = Pattern.compile("^(\\S+): ([0-9.]+)/([0-9.]+) MP \\(([0-9.]+)%\\), ([0-9.]+) MP/s, ETA (\\d+):(\\d\\d):(\\d\\d)$");

    @Test
    void progressLinesMoveEveryIntervalWithAFallingEta(@TempDir Path tmp) throws Exception {
        Path photo = croppedPhoto(tmp);
        Path model = Path.of(System.getProperty("user.dir")).resolve("../models/mambair_demo_light_x2.pth").normalize();
        assertTrue(Files.isRegularFile(model), "the demo model of the repository at " + model);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = CommandErrors.commandLine(new RestoreCommand()).execute("-m", model.toString(), "-i", photo.toString(),
                    "-o", tmp.resolve("out.png").toString(), "--tile-mode", "blend", "--device", "cpu", "--progress-interval", "1");
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        List<long[]> points = new ArrayList<>();
        for (String l : text.lines().toList()) {
            Matcher m = LINE.matcher(l);
            assertTrue(m.matches(), "every stderr line is a progress line: " + l);
            assertEquals(photo.getFileName().toString(), m.group(1));
            points.add(new long[] {Math.round(Double.parseDouble(m.group(2)) * 100),
                    Long.parseLong(m.group(6)) * 3600 + Long.parseLong(m.group(7)) * 60 + Long.parseLong(m.group(8))});
        }
        assertTrue(points.size() >= 4, "a line per second of a restore of several seconds: " + text);
        List<long[]> running = points.subList(0, points.size() - 1); // the last line is the final 100% one
        for (int i = 1; i < running.size(); i++) {
            assertTrue(running.get(i)[0] > running.get(i - 1)[0], "pixels moved between lines " + (i - 1) + " and " + i + ": " + text);
        }
        assertTrue(running.get(running.size() - 1)[1] < running.get(0)[1], "ETA fell: " + text);
        assertTrue(text.strip().endsWith("ETA 0:00:00"), text);
        assertTrue(text.lines().reduce((a, b) -> b).orElseThrow().contains("(100.0%)"), text);
    }

    /** The centre 1000x750 of a real photo (3 MP out at x2), as PNG: several seconds of restore on the CPU. */
    static Path croppedPhoto(Path tmp) throws Exception {
        PlanarImage full = ImageFiles.read(SharedData.require("data/photos/lomiri_Picture_1A_by_freespace.jpg"), ImageFiles.DEFAULT_MAX_PIXELS).color();
        int h = 750, w = 1000, y0 = (full.height() - h) / 2, x0 = (full.width() - w) / 2;
        PlanarImage crop = PlanarImage.zeros(3, h, w);
        for (int c = 0; c < 3; c++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) crop.set(c, y, x, full.get(c, y0 + y, x0 + x));
        Path png = tmp.resolve("photo_crop.png");
        ImageFiles.write(png, new DecodedImage(crop, null, 8, "png"), 95);
        return png;
    }
}
