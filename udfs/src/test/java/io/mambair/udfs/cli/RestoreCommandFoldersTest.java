package io.mambair.udfs.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.mambair.runtime.cli.CommandErrors;
import io.mambair.runtime.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code restore} as an image tool: folders and globs into an output folder, suffix, skip existing, short options, devices. */
class RestoreCommandFoldersTest {
    private record Run(int code, String err) {}

    private static Run run(Object... args) {
        String[] s = new String[args.length];
        for (int i = 0; i < args.length; i++) s[i] = String.valueOf(args[i]);
        StringWriter err = new StringWriter();
        CommandLine cl = CommandErrors.commandLine(new RestoreCommand());
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(s), err.toString());
    }

    private static Path corpus(Path tmp) throws Exception {
        Path png = SharedData.fixture("light_sr_x4").resolve("input.png");
        Path in = Files.createDirectories(tmp.resolve("in/sub"));
        Files.copy(png, tmp.resolve("in/a.png"));
        Files.copy(png, in.resolve("b.png"));
        Files.writeString(tmp.resolve("in/notes.txt"), "not an image");
        return tmp.resolve("in");
    }

    @Test
    void aFolderIsRestoredIntoAMirroredOutputFolderWithSuffixAndFinishedImagesAreSkipped(@TempDir Path tmp) throws Exception {
        Path in = corpus(tmp);
        Path model = SharedData.fixture("light_sr_x4").resolve("model.pth");
        Path single = tmp.resolve("single.png");
        assertEquals(0, run("-m", model, "-i", in.resolve("a.png"), "-o", single, "--tile-mode", "whole", "--device", "cpu").code());

        Path out = tmp.resolve("out");
        assertEquals(0, run("-m", model, "-i", in, "-o", out, "--suffix", "_x4", "--tile-mode", "whole", "--device", "cpu").code());
        assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(out.resolve("a_x4.png")), "same as restoring the file alone");
        assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(out.resolve("sub/b_x4.png")));
        try (var files = Files.walk(out)) {
            assertEquals(2, files.filter(Files::isRegularFile).count(), "the text file is not an image");
        }

        FileTime before = Files.getLastModifiedTime(out.resolve("a_x4.png"));
        Files.delete(out.resolve("sub/b_x4.png"));
        Thread.sleep(20);
        assertEquals(0, run("-m", model, "-i", in, "-o", out, "--suffix", "_x4", "--tile-mode", "whole", "--device", "cpu").code());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("a_x4.png")), "an existing output is skipped");
        assertTrue(Files.isRegularFile(out.resolve("sub/b_x4.png")), "a missing output is made again");
    }

    @Test
    void aGlobSelectsTheFilesItMatches(@TempDir Path tmp) throws Exception {
        Path in = corpus(tmp);
        Path out = tmp.resolve("out");
        assertEquals(0, run("--model", SharedData.fixture("light_sr_x4").resolve("model.pth"), "--input", in + "/*.png",
                "--output", out, "--tile-mode", "whole", "--device", "cpu").code());
        assertTrue(Files.isRegularFile(out.resolve("a.png")));
        assertFalse(Files.exists(out.resolve("sub")), "* does not cross folders");
    }

    @Test
    void aFolderOfNoImagesIsAOneLineError(@TempDir Path tmp) throws Exception {
        Files.writeString(Files.createDirectories(tmp.resolve("empty")).resolve("x.txt"), "x");
        Run r = run("-m", SharedData.fixture("light_sr_x4").resolve("model.pth"), "-i", tmp.resolve("empty"), "-o", tmp.resolve("out"));
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("restore: no images under ") && r.err().strip().lines().count() == 1, r.err());
    }

    @Test
    void anOutputOverOrInsideTheInputsIsRefusedAndNoInputChanges(@TempDir Path tmp) throws Exception {
        Path in = corpus(tmp);
        Path model = SharedData.fixture("light_sr_x4").resolve("model.pth");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), in);
        byte[] a = Files.readAllBytes(in.resolve("a.png"));
        List<Object[]> refused = List.of(
                new Object[] {"-i", in.resolve("a.png"), "-o", in.resolve("a.png")},
                new Object[] {"-i", in.resolve("a.png"), "-o", in},
                new Object[] {"-i", in, "-o", in},
                new Object[] {"-i", in, "-o", in.resolve("restored")},
                new Object[] {"-i", in + "/*.png", "-o", link.resolve("sub/x")},
                new Object[] {"-i", link, "-o", in.resolve("sub")});
        for (Object[] io : refused) {
            Run r = run("-m", model, io[0], io[1], io[2], io[3], "--overwrite", "--tile-mode", "whole", "--device", "cpu");
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().startsWith("restore: --output ") && r.err().strip().lines().count() == 1, r.err());
        }
        assertArrayEquals(a, Files.readAllBytes(in.resolve("a.png")), "the input was not written");
        try (var files = Files.walk(in)) {
            assertEquals(3, files.filter(Files::isRegularFile).count(), "nothing was added to the input folder");
        }
    }

    @Test
    void anExplicitGpuThatCannotStartIsAnErrorNamingTheReason(@TempDir Path tmp) throws Exception {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this ONNX Runtime has CUDA");
        Path out = tmp.resolve("out.png");
        Run r = run("-m", SharedData.fixture("light_sr_x4").resolve("model.pth"), "-i", SharedData.fixture("light_sr_x4").resolve("input.png"),
                "-o", out, "--device", "cuda:1");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("restore: device cuda:1 was requested but cannot start: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }
}
