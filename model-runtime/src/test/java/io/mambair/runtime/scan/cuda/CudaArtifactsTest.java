package io.mambair.runtime.scan.cuda;

import io.mambair.runtime.scan.FusedScanLibrary;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the build makes of the CUDA kernel: PTX a CUDA 11.8 driver loads (ISA version <= 7.8, target <= sm_80) with
 * every kernel the launcher asks for, embedded in the native library, which links no CUDA library.
 */
class CudaArtifactsTest {
    private static final Path PTX = Path.of("target", "cuda", "scan2d_kernel.ptx");

    @Test
    void ptxLoadsWithACuda118Driver() throws IOException {
        String ptx = Files.readString(PTX);
        Matcher version = Pattern.compile("(?m)^\\.version (\\d+)\\.(\\d+)$").matcher(ptx);
        Matcher target = Pattern.compile("(?m)^\\.target sm_(\\d+)$").matcher(ptx);
        assertTrue(version.find() && target.find(), "no .version / .target line in " + PTX);
        int isa = Integer.parseInt(version.group(1)) * 10 + Integer.parseInt(version.group(2));
        assertTrue(isa <= 78, "PTX ISA " + version.group(1) + "." + version.group(2) + " needs a driver newer than CUDA 11.8");
        assertTrue(Integer.parseInt(target.group(1)) <= 80, "target sm_" + target.group(1) + " is above sm_80");
        assertTrue(ptx.contains(".address_size 64"), "64-bit addressing");
    }

    @Test
    void ptxHasEveryKernelTheLauncherSchedules() throws IOException {
        String ptx = Files.readString(PTX);
        Set<String> scheduled = new TreeSet<>();
        Matcher m = Pattern.compile("\"(mambair_scan2d_\\w+)\"").matcher(Files.readString(Path.of("src/main/native/cuda/scan2d_plan.h")));
        while (m.find()) scheduled.add(m.group(1));
        assertEquals(8, scheduled.size(), "kernels named in scan2d_plan.h: " + scheduled);
        for (String kernel : scheduled) assertTrue(ptx.contains(".visible .entry " + kernel + "("), kernel + " not in the PTX");
    }

    @Test
    void libraryEmbedsThePtxAndLinksNoCudaLibrary() throws Exception {
        Path library = FusedScanLibrary.path().orElseThrow();
        String binary = new String(Files.readAllBytes(library), StandardCharsets.ISO_8859_1);
        assertTrue(binary.contains(Files.readString(PTX, StandardCharsets.ISO_8859_1) + "\0"), "PTX embedded, NUL-terminated");

        Process p = new ProcessBuilder("readelf", "-d", library.toString()).redirectErrorStream(true).start();
        String dynamic = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), dynamic);
        List<String> needed = new ArrayList<>();
        Matcher m = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[([^\\]]+)\\]").matcher(dynamic);
        while (m.find()) needed.add(m.group(1));
        assertFalse(needed.isEmpty(), "no NEEDED entries parsed from:\n" + dynamic);
        for (String lib : needed) {
            assertFalse(lib.matches("(?i).*(cuda|cudart|cublas|cudnn|nvrtc|nvidia|onnxruntime).*"), "links " + lib);
        }
    }
}
