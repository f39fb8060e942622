package io.mambair.runtime.scan.cuda;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA SelectiveScan2D kernels (src/main/native/cuda/scan2d_kernel.cu), compiled for the host by the emulator
 * (src/test/native/cuda_emulator) and launched with the GPU launcher's schedule, against the float64 reference on
 * the shape classes of the official models: within 2e-5 of the output scale.
 */
class CudaKernelEmulatorTest {
    private static final double TOLERANCE = 2e-5;

    @ParameterizedTest(name = "B {0} E {1} N {2} {3}x{4} chunk {5} |A| <= {6} delta {7}..{8}")
    @CsvSource({
        "1, 360, 16, 64, 64, 0,  16,    -4,  2",   // classic SR tile, the plan's chunks (last one partial)
        "1, 72,  10, 64, 64, 0,  16,    -4,  2",   // light SR tile (d_inner 72, d_state 10)
        "2, 216, 16, 17,  9, 5,  16,    -4,  2",   // denoising / CAR width, odd non-square grid, partial chunks
        "16, 96, 16,  7, 13, 4,  16,    -4,  2",   // batch 16
        "1, 80,  16, 16, 24, 7,  1e4,  -30, 60",   // |A| up to 1e4, delta -30..60 (softplus linear above 20)
        "3, 72,  10,  1, 37, 8,  16,    -4,  2",   // one row: the column axis has lines of length 1
        "2, 144, 16, 29,  1, 0,  16,    -4,  2",   // one column (UNet width 144)
        "1, 40,   7,  6,  9, 4,  16,    -4,  2",   // a state count without a specialised kernel
        "4, 360, 16,  3,  5, 1,  16,    -4,  2",   // chunks of one step: everything carried
    })
    void matchesTheFloat64Reference(int b, int e, int n, int h, int w, int chunk, double aMax, double dLow, double dHigh,
                                    @TempDir Path dir) throws Exception {
        Scan2DCase c = Scan2DCase.random(b, e, n, h, w, aMax, dLow, dHigh, 31L * e + 7L * h + w + n);
        c.write(dir);
        CudaEmulator.emulate(dir.toString(), "" + b, "" + e, "" + n, "" + h, "" + w, "" + chunk);
        double error = Scan2DCase.relativeError(c.reference(), Scan2DCase.readFloats(dir.resolve("y.f32")));
        assertTrue(error <= TOLERANCE, "max error " + error + " of the output scale, allowed " + TOLERANCE);
    }
}
