package io.mambair.runtime.scan;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/**
 * Child-JVM side of {@link ScanPathOverrideTest} (the library reads its environment once, at load, so each setting
 * needs its own JVM). Mode {@code reference}: the fused operator against the float64 reference on shapes of the
 * official models, printing "max relative error E"; {@code fault}: the first call must fail, the next succeed
 * ("first call failed: MESSAGE", then the error line). Exit 0 when the check holds.
 */
public final class ScanPathCheck {
    private static final ScanShape[] SHAPES = {
        new ScanShape(2, 4 * 72, 10, 4, 77),     // light SR, 7 x 11 grid
        new ScanShape(1, 4 * 360, 16, 4, 130),   // classic SR, partial SIMD blocks and tiles
    };

    private ScanPathCheck() {}

    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (FusedSelectiveScan scan = FusedSelectiveScan.open(env, 2)) {
            if (args[0].equals("fault")) {
                try {
                    scan.run(ScanInputs.random(SHAPES[0], 1L, 0f, 1f));
                    System.out.println("first call succeeded although its allocation was to fail");
                    System.exit(1);
                } catch (OrtException e) {
                    System.out.println("first call failed: " + e.getMessage());
                }
            }
            double worst = 0;
            for (ScanShape shape : SHAPES) {
                for (float aScale : new float[] {1f, 1000f}) {
                    ScanInputs in = ScanInputs.random(shape, 17L + shape.channels(), 0f, aScale);
                    worst = Math.max(worst, relativeError(SelectiveScanReference.scan(in), scan.run(in)));
                }
            }
            System.out.println("max relative error " + worst);
            System.exit(worst <= 2e-5 ? 0 : 1);
        } catch (IllegalStateException | OrtException e) {
            System.out.println("cannot open the fused scan: " + e.getMessage());
            System.exit(3);
        }
    }

    private static double relativeError(double[] expected, float[] actual) {
        double scale = 1, error = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double e = Math.abs(expected[i] - actual[i]);
            error = e <= error ? error : e;  // NaN counts as worst
        }
        return error / scale;
    }
}
