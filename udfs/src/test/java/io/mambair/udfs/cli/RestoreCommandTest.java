package io.mambair.udfs.cli;

import io.mambair.runtime.cli.ConvertCommand;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.npy.Npy;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.TestRequirements;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.mambair.runtime.cli.CommandErrors;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code restore --tile-mode whole} on every official fixture, from the .pth and from its converted .onnx. */
class RestoreCommandTest {
    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String c : List.of("classic_sr_x2", "light_sr_x4", "color_dn", "car_gray", "real_dn_unet")) {
            for (boolean viaOnnx : new boolean[] {false, true}) {
                a.add(Arguments.of(c, ScanFormulation.STANDARD, viaOnnx));
                a.add(Arguments.of(c, ScanFormulation.FUSED, viaOnnx));
            }
        }
        return a.stream();
    }

    private static int run(Object... args) {
        String[] s = new String[args.length];
        for (int i = 0; i < args.length; i++) s[i] = String.valueOf(args[i]);
        return CommandErrors.commandLine(new RestoreCommand()).execute(s);
    }

    private static Path model(Path fixture, ScanFormulation scan, boolean viaOnnx, Path tmp) {
        Path pth = fixture.resolve("model.pth");
        if (!viaOnnx) return pth;
        Path onnx = tmp.resolve("model.onnx");
        assertEquals(0, CommandErrors.commandLine(new ConvertCommand()).execute("--model", pth.toString(), "--output", onnx.toString(),
                "--scan", scan.name().toLowerCase()));
        return onnx;
    }

    @ParameterizedTest(name = "{0} {1} onnx={2}")
    @MethodSource("cases")
    void npyInputGivesTheOfficialRawOutput(String fixture, ScanFormulation scan, boolean viaOnnx, @TempDir Path tmp) throws Exception {
        TestRequirements.requireScan(scan);
        Path dir = SharedData.fixture(fixture);
        Path out = tmp.resolve("out.npy");
        assertEquals(0, run("--model", model(dir, scan, viaOnnx, tmp), "--input", dir.resolve("input.npy"), "--output", out,
                "--tile-mode", "whole", "--device", "cpu", "--scan", scan.name().toLowerCase()));
        Npy.FloatArray expected = Npy.read(dir.resolve("output.npy"));
        Npy.FloatArray actual = Npy.read(out);
        assertArrayEquals(expected.shape(), actual.shape());
        float max = 0;
        for (int i = 0; i < expected.data().length; i++) max = Math.max(max, Math.abs(expected.data()[i] - actual.data()[i]));
        assertTrue(max <= 1e-4f, fixture + ": max abs diff " + max);
    }

    @ParameterizedTest(name = "{0} {1} onnx={2}")
    @MethodSource("cases")
    void pngInputGivesTheOfficialPngWithinOneGreyLevel(String fixture, ScanFormulation scan, boolean viaOnnx, @TempDir Path tmp) throws Exception {
        TestRequirements.requireScan(scan);
        Path dir = SharedData.fixture(fixture);
        Path out = tmp.resolve("out.png");
        assertEquals(0, run("--model", model(dir, scan, viaOnnx, tmp), "--input", dir.resolve("input.png"), "--output", out,
                "--tile-mode", "whole", "--device", "cpu", "--scan", scan.name().toLowerCase()));
        DecodedImage expected = ImageFiles.read(dir.resolve("output.png"), Long.MAX_VALUE);
        DecodedImage actual = ImageFiles.read(out, Long.MAX_VALUE);
        assertEquals(8, actual.bitDepth());
        assertEquals(expected.color().channels(), actual.color().channels());
        float[] e = expected.color().data();
        float[] a = actual.color().data();
        assertEquals(e.length, a.length);
        int worst = 0;
        for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.round(Math.abs(e[i] - a[i]) * 255));
        assertTrue(worst <= 1, fixture + ": " + worst + " grey levels off");
    }

    @Test
    void sixteenBitInputGivesSixteenBitOutputWithUpscaledAlpha(@TempDir Path tmp) throws Exception {
        Path dir = SharedData.fixture("light_sr_x4");
        DecodedImage in8 = ImageFiles.read(dir.resolve("input.png"), Long.MAX_VALUE);
        io.mambair.runtime.image.PlanarImage alpha = io.mambair.runtime.image.PlanarImage.zeros(1, in8.height(), in8.width());
        java.util.Arrays.fill(alpha.data(), 0.5f);
        Path in16 = tmp.resolve("in16.png");
        ImageFiles.write(in16, new DecodedImage(in8.color(), alpha, 16, "png"), 95);
        Path out = tmp.resolve("out16.png");
        assertEquals(0, run("--model", dir.resolve("model.pth"), "--input", in16, "--output", out, "--tile-mode", "whole", "--device", "cpu"));
        DecodedImage result = ImageFiles.read(out, Long.MAX_VALUE);
        assertEquals(16, result.bitDepth());
        assertEquals(in8.height() * 4, result.height());
        assertTrue(result.hasAlpha());
        assertEquals(0.5f, result.alpha().get(0, 10, 10), 1e-4f);
        assertTrue(Files.size(out) > 0);
    }

    @Test
    void aMissingInputFailsWithoutWritingAnOutput(@TempDir Path tmp) {
        Path out = tmp.resolve("out.png");
        int rc = run("--model", SharedData.fixture("light_sr_x4").resolve("model.pth"), "--input", tmp.resolve("nope.png"), "--output", out);
        assertTrue(rc != 0);
        assertTrue(Files.notExists(out));
    }
}
