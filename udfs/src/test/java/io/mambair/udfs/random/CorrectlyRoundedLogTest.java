package io.mambair.udfs.random;

import io.mambair.runtime.testing.DebianNumpy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The log against Python's {@code decimal} logarithm at 60 digits, rounded to the nearest double. */
class CorrectlyRoundedLogTest {
    @TempDir
    Path tmp;

    @Test
    void equalsTheCorrectlyRoundedLogarithmOfDecimal() throws Exception {
        SplittableRandom r = new SplittableRandom(42);
        int n = 20000;
        ByteBuffer in = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            // the polar method's range (0, 1), plus a spread of magnitudes
            xs[i] = i % 2 == 0 ? r.nextDouble() : Math.scalb(1.0 + r.nextDouble(), r.nextInt(-1000, 1000));
            in.putDouble(xs[i]);
        }
        Files.write(tmp.resolve("x"), in.array());
        DebianNumpy.run("""
                import sys, decimal, numpy as np
                decimal.getcontext().prec = 60
                x = np.fromfile(sys.argv[1] + '/x', '<f8')
                np.array([float(decimal.Decimal(float(v)).ln()) for v in x], '<f8').tofile(sys.argv[1] + '/ln')
                """, tmp.toString());
        double[] exact = DebianNumpy.readFloat64(tmp.resolve("ln"));
        for (int i = 0; i < n; i++) assertEquals(exact[i], CorrectlyRoundedLog.log(xs[i]), 0.0, "log(" + xs[i] + ")");
    }

    @Test
    void refusesNonPositiveAndNonFiniteArguments() {
        assertThrows(IllegalArgumentException.class, () -> CorrectlyRoundedLog.log(0));
        assertThrows(IllegalArgumentException.class, () -> CorrectlyRoundedLog.log(-1));
        assertThrows(IllegalArgumentException.class, () -> CorrectlyRoundedLog.log(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> CorrectlyRoundedLog.log(Double.POSITIVE_INFINITY));
    }
}
