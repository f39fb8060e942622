package io.mambair.udfs.random;

import io.mambair.runtime.testing.DebianNumpy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator against NumPy's own legacy {@code RandomState} (Debian python3-numpy). */
class NumpyRandomStateTest {
    @TempDir
    Path tmp;

    @Test
    void mt19937StreamEqualsNumpysForTheFirstMillionDrawsOfSeveralSeeds() throws Exception {
        long[] seeds = {0, 1, 12345, 4294967295L};
        DebianNumpy.run("""
                import sys, numpy as np
                for i, s in enumerate(sys.argv[2:]):
                    np.random.RandomState(int(s))._bit_generator.random_raw(10**6).astype('<u4').tofile(sys.argv[1] + '/raw%d' % i)
                """, tmp.toString(), "0", "1", "12345", "4294967295");
        for (int i = 0; i < seeds.length; i++) {
            long[] numpy = DebianNumpy.readUInt32(tmp.resolve("raw" + i));
            assertEquals(1_000_000, numpy.length);
            NumpyRandomState ours = new NumpyRandomState(seeds[i]);
            for (int k = 0; k < numpy.length; k++) {
                long v = ours.nextUInt32();
                if (v != numpy[k]) assertEquals(numpy[k], v, "seed " + seeds[i] + ", draw " + k);
            }
        }
    }

    @Test
    void arraySeedEqualsNumpysInitByArray() throws Exception {
        DebianNumpy.run("""
                import sys, numpy as np
                np.random.RandomState([1, 2, 3, 4294967295])._bit_generator.random_raw(2000).astype('<u4').tofile(sys.argv[1] + '/raw')
                """, tmp.toString());
        long[] numpy = DebianNumpy.readUInt32(tmp.resolve("raw"));
        NumpyRandomState ours = new NumpyRandomState(new long[] {1, 2, 3, 4294967295L});
        for (int k = 0; k < numpy.length; k++) assertEquals(numpy[k], ours.nextUInt32(), "draw " + k);
    }

    @Test
    void doublesEqualNumpysBitForBitAndLegacyGaussiansToAFewUlps() throws Exception {
        DebianNumpy.run("""
                import sys, numpy as np
                np.random.seed(0)
                np.random.random_sample(100000).astype('<f8').tofile(sys.argv[1] + '/uniform')
                np.random.seed(0)
                np.random.standard_normal(100001).astype('<f8').tofile(sys.argv[1] + '/gauss')
                np.random.seed(7)
                np.random.normal(0, 25 / 255., (3, 5, 7)).astype('<f8').tofile(sys.argv[1] + '/normal')
                """, tmp.toString());
        double[] uniform = DebianNumpy.readFloat64(tmp.resolve("uniform"));
        NumpyRandomState u = new NumpyRandomState(0);
        for (int k = 0; k < uniform.length; k++) assertEquals(uniform[k], u.nextDouble(), 0.0, "uniform " + k);
        // glibc's log is within 0.52 ulp, ours correctly rounded: where they differ by an ulp, the Gaussian
        // (after a division, a square root and a product) differs by a few ulps; nearly all are equal
        double[] gauss = DebianNumpy.readFloat64(tmp.resolve("gauss"));
        NumpyRandomState g = new NumpyRandomState(0);
        int differing = 0;
        for (int k = 0; k < gauss.length; k++) {
            double v = g.nextGaussian();
            assertEquals(gauss[k], v, 4 * Math.ulp(gauss[k]), "gauss " + k);
            if (v != gauss[k]) differing++;
        }
        assertTrue(differing < gauss.length / 1000, differing + " of " + gauss.length + " Gaussians differ in the last bit");
        double[] normal = DebianNumpy.readFloat64(tmp.resolve("normal"));
        NumpyRandomState n = new NumpyRandomState(7);
        for (int k = 0; k < normal.length; k++) assertEquals(normal[k], n.normal(0, 25 / 255.0), 4 * Math.ulp(normal[k]), "normal " + k);
    }

    @Test
    void seedsOutsideNumpysRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(-1));
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(new long[0]));
    }
}
