package io.mambair.udfs.random;

/**
 * NumPy's legacy {@code numpy.random.RandomState}: MT19937 seeded as {@code np.random.seed} seeds it,
 * 53-bit doubles and the legacy polar (Marsaglia) Gaussian with its cached second value, so that the
 * official denoising inputs ({@code np.random.seed(0); np.random.normal(0, s, shape)}) come out the same
 * (the 32-bit and uniform streams bit for bit; Gaussians to an ulp, see {@link #nextGaussian()}).
 * Not thread-safe. Written here because no maintained Java library reproduces NumPy's legacy streams.
 */
public final class NumpyRandomState {
    private static final int N = 624;
    private static final int M = 397;

    private final int[] key = new int[N];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    /** Seeded as {@code np.random.seed(seed)} with an integer, 0..2^32-1 (MT19937 {@code init_genrand}). */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) throw new IllegalArgumentException("seed must be between 0 and 2**32 - 1, got " + seed);
        initGenrand((int) seed);
    }

    /** Seeded as {@code np.random.seed(array)} with a non-empty array of 32-bit words (MT19937 {@code init_by_array}). */
    public NumpyRandomState(long[] seed) {
        if (seed.length == 0) throw new IllegalArgumentException("seed array must not be empty");
        for (long s : seed) {
            if (s < 0 || s > 0xffffffffL) throw new IllegalArgumentException("seed words must be between 0 and 2**32 - 1, got " + s);
        }
        initByArray(seed);
    }

    private void initGenrand(int s) {
        key[0] = s;
        for (int i = 1; i < N; i++) key[i] = 1812433253 * (key[i - 1] ^ (key[i - 1] >>> 30)) + i;
        pos = N;
        hasGauss = false;
        gauss = 0;
    }

    private void initByArray(long[] initKey) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, initKey.length); k > 0; k--) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >>> 30)) * 1664525)) + (int) initKey[j] + j;
            i++;
            j++;
            if (i >= N) {
                key[0] = key[N - 1];
                i = 1;
            }
            if (j >= initKey.length) j = 0;
        }
        for (int k = N - 1; k > 0; k--) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                key[0] = key[N - 1];
                i = 1;
            }
        }
        key[0] = 0x80000000;
    }

    private void generate() {
        for (int i = 0; i < N; i++) {
            int y = (key[i] & 0x80000000) | (key[(i + 1) % N] & 0x7fffffff);
            key[i] = key[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        pos = 0;
    }

    /** The next raw 32-bit word, unsigned in a long ({@code randint(0, 2**32, dtype=uint32)} order). */
    public long nextUInt32() {
        if (pos == N) generate();
        int y = key[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** A double in [0, 1) from two words, {@code (a >> 5, b >> 6)}, as {@code random_sample()}. */
    public double nextDouble() {
        long a = nextUInt32() >>> 5;
        long b = nextUInt32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /**
     * A standard normal value by the legacy polar method, returning the cached second value on every other
     * call. Uses a correctly rounded log, so a value differs from NumPy's by one ulp where glibc's log is not.
     */
    public double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            double g = gauss;
            gauss = 0;
            return g;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        // glibc's log, which NumPy calls here, is within 0.52 ulp: about 1 pair in 3000 then differs by an ulp
        double f = Math.sqrt(-2.0 * CorrectlyRoundedLog.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** One draw of {@code normal(loc, scale)}: {@code loc + scale * gauss}. */
    public double normal(double loc, double scale) {
        return loc + scale * nextGaussian();
    }
}
