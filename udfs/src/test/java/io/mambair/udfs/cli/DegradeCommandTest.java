package io.mambair.udfs.cli;

import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.mambair.runtime.cli.CommandErrors;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mambair degrade} against the MATLAB-made Set5 LR files, plus its noise and error handling. */
class DegradeCommandTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void degradeOfEverySet5ImageEqualsTheMatlabLrFile(int scale) throws IOException {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        List<Path> hrFiles;
        try (Stream<Path> s = Files.list(set5.resolve("HR"))) {
            hrFiles = s.sorted().toList();
        }
        for (Path hr : hrFiles) {
            String stem = hr.getFileName().toString().replace(".png", "");
            Path out = tmp.resolve(stem + "x" + scale + ".png");
            assertEquals(0, run("--input", hr.toString(), "--output", out.toString(), "--bicubic-scale", Integer.toString(scale)));
            DecodedImage ours = ImageFiles.read(out, 1 << 24);
            DecodedImage matlab = ImageFiles.read(set5.resolve("LR_bicubic/X" + scale + "/" + stem + "x" + scale + ".png"), 1 << 24);
            assertEquals(matlab.width(), ours.width());
            assertEquals(matlab.height(), ours.height());
            assertArrayEquals(matlab.color().data(), ours.color().data(), stem + " x" + scale);
        }
    }

    @Test
    void seededNoiseIsReproducibleUnclippedInNpyAndHasTheRequestedSigma() throws IOException {
        Path hr = SharedData.require("data/benchmarks/Set5/HR/baby.png");
        Path a = tmp.resolve("a.npy");
        Path b = tmp.resolve("b.npy");
        assertEquals(0, run("--input", hr.toString(), "--output", a.toString(), "--noise-sigma", "25", "--noise-seed", "7"));
        assertEquals(0, run("--input", hr.toString(), "--output", b.toString(), "--noise-sigma", "25", "--noise-seed", "7"));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        PlanarImage clean = ImageFiles.read(hr, 1 << 24).color();
        PlanarImage noisy = ImageFiles.read(a, 1 << 24).color();
        double sum = 0;
        double sq = 0;
        boolean outOfRange = false;
        for (int i = 0; i < clean.data().length; i++) {
            double d = (noisy.data()[i] - clean.data()[i]) * 255.0;
            sum += d;
            sq += d * d;
            outOfRange |= noisy.data()[i] < 0 || noisy.data()[i] > 1;
        }
        int n = clean.data().length;
        double mean = sum / n;
        double sigma = Math.sqrt(sq / n - mean * mean);
        assertEquals(0, mean, 0.1);
        assertEquals(25, sigma, 0.25);
        assertTrue(outOfRange, "float output keeps values outside [0,1]");
    }

    @Test
    void jpegOutputAtAQualityIsWritten() throws IOException {
        Path hr = SharedData.require("data/benchmarks/Set5/HR/bird.png");
        Path out = tmp.resolve("bird_q10.jpg");
        assertEquals(0, run("--input", hr.toString(), "--output", out.toString(), "--jpeg-quality", "10"));
        DecodedImage jpeg = ImageFiles.read(out, 1 << 24);
        assertEquals("jpeg", jpeg.format());
        assertEquals(288, jpeg.width());
    }

    @Test
    void badInputIsAOneLineErrorAndNoOutput() throws IOException {
        Path bad = Files.write(tmp.resolve("bad.png"), new byte[] {1, 2, 3});
        Path out = tmp.resolve("out.png");
        StringWriter err = new StringWriter();
        CommandLine cmd = CommandErrors.commandLine(new DegradeCommand());
        cmd.setErr(new PrintWriter(err));
        assertEquals(1, cmd.execute("--input", bad.toString(), "--output", out.toString(), "--bicubic-scale", "2"));
        assertTrue(err.toString().startsWith("degrade: " + bad + ": not a recognised image format"), err.toString());
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(bad), s.toList(), "no temporary files left behind");
        }
    }

    private static int run(String... args) {
        return CommandErrors.commandLine(new DegradeCommand()).execute(args);
    }
}
