package io.mambair.udfs.cli;

import io.mambair.runtime.cli.CommandErrors;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.ImageFiles;
import io.mambair.runtime.testing.DebianNumpy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mambair degrade --noise-sigma S --noise-seed 0 [--grey] --output X.npy} against the official
 * denoising test's own code run by NumPy and OpenCV: {@code cv2.imread}, {@code /255}, {@code np.random.seed(0)},
 * {@code + np.random.normal(0, S/255, shape)}, float32, BGR to RGB, CHW.
 */
class OfficialNoisyInputsTest {
    private static final String OFFICIAL = """
            import sys, cv2, numpy as np
            out, items = sys.argv[1], sys.argv[2:]
            for i in range(0, len(items), 3):
                path, sigma, grey = items[i], int(items[i + 1]), items[i + 2] == 'grey'
                img_gt = cv2.imread(path, cv2.IMREAD_GRAYSCALE if grey else cv2.IMREAD_COLOR).astype(np.float32) / 255.
                if img_gt.ndim == 2:
                    img_gt = np.expand_dims(img_gt, axis=2)
                np.random.seed(seed=0)
                img_lq = img_gt + np.random.normal(0, sigma / 255., img_gt.shape)
                img_lq = img_lq.astype('float32')
                if img_lq.shape[2] == 3:
                    img_lq = cv2.cvtColor(img_lq, cv2.COLOR_BGR2RGB)
                np.save('%s/official%d.npy' % (out, i // 3), img_lq.transpose(2, 0, 1)[None])
            """;

    @TempDir
    Path tmp;

    @Test
    void noisyInputsEqualTheOfficialOnesForKodak24McMasterAndCbsd68ColourAndGrey() throws Exception {
        Path kodak = SharedData.require("data/benchmarks/Kodak24");
        Path mcMaster = SharedData.require("data/benchmarks/McMaster");
        Path cbsd = SharedData.require("data/benchmarks/CBSD68");
        List<Path> images = List.of(kodak.resolve("kodim01.png"), kodak.resolve("kodim23.png"),
                mcMaster.resolve("1.tif"), mcMaster.resolve("18.tif"),
                cbsd.resolve("101085.png"), cbsd.resolve("351093.png"),
                SharedData.require("data/photos/skimage_camera.png"));  // a grey file: three equal planes unless --grey
        List<String> args = new ArrayList<>(List.of(tmp.toString()));
        List<String[]> cases = new ArrayList<>();
        for (Path image : images) {
            for (int sigma : new int[] {15, 25, 50}) {
                for (boolean grey : new boolean[] {false, true}) {
                    cases.add(new String[] {image.toString(), Integer.toString(sigma), grey ? "grey" : "colour"});
                    args.addAll(List.of(cases.get(cases.size() - 1)));
                }
            }
        }
        DebianNumpy.run(OFFICIAL, args.toArray(String[]::new));
        for (int i = 0; i < cases.size(); i++) {
            String[] c = cases.get(i);
            Path ours = tmp.resolve("ours" + i + ".npy");
            List<String> cli = new ArrayList<>(List.of("--input", c[0], "--output", ours.toString(), "--noise-sigma", c[1], "--noise-seed", "0"));
            if (c[2].equals("grey")) cli.add("--grey");
            assertEquals(0, CommandErrors.commandLine(new DegradeCommand()).execute(cli.toArray(String[]::new)), String.join(" ", c));
            PlanarImage official = ImageFiles.read(tmp.resolve("official" + i + ".npy"), 1 << 24).color();
            PlanarImage mine = ImageFiles.read(ours, 1 << 24).color();
            String label = Path.of(c[0]).getFileName() + " sigma " + c[1] + " " + c[2];
            assertEquals(c[2].equals("grey") ? 1 : 3, mine.channels(), label);
            assertEquals(official.toString(), mine.toString(), label);
            double maxAbs = 0;
            for (int k = 0; k < official.data().length; k++) maxAbs = Math.max(maxAbs, Math.abs(official.data()[k] - mine.data()[k]));
            assertTrue(maxAbs <= 1e-6, label + ": max abs " + maxAbs);
        }
    }
}
