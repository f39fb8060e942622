package io.mambair.job.deploy;

import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import io.mambair.job.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar built here on a real older system: inside a Debian 11 (glibc 2.31, OpenJDK 17) root file system
 * (.ci/portability/debian11-chroot.sh), {@code bin/mambair restore} gives the pixels it gives on this host, and the
 * README's quickstart restores its 5 samples. Skipped, naming why, where the machine cannot build or enter the chroot
 * (not root, no debootstrap).
 */
@Slow
class Debian11ChrootIT {
    private static final String RESTORE = "bin/mambair restore --model " + RepositoryFiles.DEMO_MODEL
            + " --input samples/chelsea_cat.png --output ";

    @Test
    void restoreMatchesTheHostPixelForPixelAndTheQuickstartRestoresFiveImages(@TempDir Path out) throws Exception {
        Path host = out.resolve("host.png"), debian = out.resolve("debian11.png"), quickstart = out.resolve("quickstart");
        List<String> onHost = List.of("bash", "-c", RESTORE + host);
        ProcessRunner.Result h = ProcessRunner.run(onHost, RepositoryFiles.root(), Map.of("MAMBAIR_JAVA_OPTS", "-Xmx2g"), 300);
        assertEquals(0, h.exitCode(), h.output());

        String inChroot = RESTORE + debian + " && bin/mambair run --preset quickstart --set output.path=\"" + quickstart
                + "\" --set run-id=debian11";
        ProcessRunner.Result d = ProcessRunner.run(List.of(RepositoryFiles.resolve(".ci/portability/debian11-chroot.sh")
                .toString(), out.toString(), inChroot), RepositoryFiles.root(), Map.of(), 1200);
        TestRequirements.require(d.exitCode() != 77, "a Debian 11 root file system (" + d.output().lines()
                .filter(l -> l.startsWith("SKIP:")).findFirst().orElse("skipped") + ")");
        assertEquals(0, d.exitCode(), d.output());
        assertTrue(d.output().contains("GLIBC 2.31"), "ran on glibc 2.31: " + d.output());
        // The fused-scan library itself loaded there: no fallback to the standard scan, in restore or in the run.
        assertTrue(d.output().contains(" on cpu, fused scan ("), "restore used the fused scan on Debian 11: " + d.output());
        assertFalse(d.output().contains("cannot load"), "no fused-scan fallback on Debian 11: " + d.output());
        assertTrue(d.output().contains("inputs 5 = ok 5 + error 0 + skipped 0"), d.output());
        PackagedRunChecks.assertRestoredX2(RepositoryFiles.resolve("samples"), quickstart, "debian11", 5);
        assertArrayEquals(pixels(host), pixels(debian), "restore on Debian 11 differs from the host's");
    }

    private static int[] pixels(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        return image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
    }
}
