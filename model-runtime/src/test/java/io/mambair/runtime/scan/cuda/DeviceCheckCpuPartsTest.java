package io.mambair.runtime.scan.cuda;

import io.mambair.runtime.testing.TestRequirements;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of gpu/scan2d_device_check.py that run without a GPU, with Debian's /usr/bin/python3 and NumPy
 * (installed by .ci/run): its launch schedule is the C launcher's (scan2d_plan.h, printed by the emulator), and its
 * float64 NumPy reference (gpu/scan2d_reference.py) is the Java float64 reference.
 */
class DeviceCheckCpuPartsTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path GPU = Path.of("..", "gpu").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void needsNumpy() throws Exception {
        boolean present = Files.isExecutable(Path.of(PYTHON))
                && new ProcessBuilder(PYTHON, "-c", "import numpy").start().waitFor() == 0;
        TestRequirements.require(present, PYTHON + " with NumPy is missing (CI installs python3-numpy)");
    }

    @ParameterizedTest(name = "B {0} E {1} N {2} {3}x{4} chunk {5}")
    @CsvSource({"16, 360, 16, 64, 64, 0", "1, 72, 10, 64, 64, 0", "3, 216, 16, 17, 9, 5", "2, 40, 7, 1, 37, 0",
                "1, 180, 16, 200, 120, 0"})
    void pythonScheduleIsTheLaunchersSchedule(int b, int e, int n, int h, int w, int chunk) throws Exception {
        String[] shape = {"" + b, "" + e, "" + n, "" + h, "" + w, "" + chunk};
        JsonNode python = JSON.readTree(CudaEmulator.run(List.of(PYTHON, GPU.resolve("scan2d_device_check.py").toString(),
                "--print-plan", shape[0], shape[1], shape[2], shape[3], shape[4], shape[5])));
        JsonNode launcher = JSON.readTree(CudaEmulator.emulate("--print-plan", shape[0], shape[1], shape[2], shape[3], shape[4], shape[5]));
        assertEquals(launcher, python);
    }

    @Test
    void numpyReferenceIsTheJavaReference(@TempDir Path dir) throws Exception {
        Scan2DCase c = Scan2DCase.random(2, 24, 10, 5, 7, 1e4, -30, 60, 99);
        c.write(dir);
        String script = String.join("\n",
                "import sys, numpy as np",
                "sys.dont_write_bytecode = True  # nothing written into the source tree",
                "sys.path.insert(0, sys.argv[1])",
                "import scan2d_reference as r",
                "d, (b, e, n, h, w) = sys.argv[2], map(int, sys.argv[3:8])",
                "f = lambda name, shape: np.fromfile(d + '/' + name + '.f32', '<f4').reshape(shape)",
                "l = h * w",
                "y = r.scan2d(f('u', (b, e, h, w)), f('delta', (b, 4, e, l)), f('A', (4 * e, n)), f('Bs', (b, 4, n, l)),",
                "             f('Cs', (b, 4, n, l)), f('Ds', (4 * e,)), f('delta_bias', (4 * e,)))",
                "y.astype('<f8').tofile(d + '/y64.f64')");
        CudaEmulator.run(List.of(PYTHON, "-c", script, GPU.toString(), dir.toString(), "2", "24", "10", "5", "7"));
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(Files.readAllBytes(dir.resolve("y64.f64"))).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        double[] expected = c.reference();
        assertEquals(expected.length * 8, bytes.remaining());
        double worst = 0, scale = 0;
        for (double v : expected) {
            worst = Math.max(worst, Math.abs(v - bytes.getDouble()));
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(worst <= 1e-12 * scale, "NumPy vs Java float64: " + worst + " at scale " + scale);
    }
}
