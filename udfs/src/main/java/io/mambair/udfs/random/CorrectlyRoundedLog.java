package io.mambair.udfs.random;

/**
 * The natural logarithm rounded correctly to double (to within double-double precision, about 2^-104),
 * using only IEEE additions, multiplications and divisions, so it is the same on every JVM and CPU.
 * Here because {@code Math.log} may differ by an ulp between platforms and {@code StrictMath.log}
 * (fdlibm) differs from glibc's nearly correctly rounded {@code log}, which NumPy's Gaussian calls.
 */
final class CorrectlyRoundedLog {
    private static final double LN2_HI = 0.6931471805599453;
    private static final double LN2_LO = 2.3190468138462996e-17;
    private static final double SQRT2 = 1.4142135623730951;
    private static final double SPLITTER = 134217729.0; // 2^27 + 1, Dekker's split
    private static final int TERMS = 23; // |s| <= 0.1716: s^(2*23) / 47 < 2^-110
    private static final double[] INV_ODD_HI = new double[TERMS];
    private static final double[] INV_ODD_LO = new double[TERMS];

    static {
        for (int j = 0; j < TERMS; j++) {
            double d = 2 * j + 1;
            double hi = 1.0 / d;
            // remainder 1 - hi*d exactly, from the exact product hi*d = p + e
            double p = hi * d;
            double e = twoProdErr(hi, d, p);
            INV_ODD_HI[j] = hi;
            INV_ODD_LO[j] = ((1.0 - p) - e) / d;
        }
    }

    private CorrectlyRoundedLog() {}

    /** log(x) for a positive, finite, normal x. */
    static double log(double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY || x < Double.MIN_NORMAL) {
            throw new IllegalArgumentException("log needs a positive finite normal number, got " + x);
        }
        int k = Math.getExponent(x);
        double m = Math.scalb(x, -k);
        if (m > SQRT2) {
            m *= 0.5;
            k++;
        }
        // s = (m - 1) / (m + 1); m - 1 is exact (Sterbenz), m + 1 as a double-double
        double num = m - 1.0;
        double denHi = m + 1.0;
        double denLo = (m - (denHi - 1.0)) + (1.0 - (denHi - (denHi - 1.0)));
        double sHi = num / denHi;
        // s_lo = (num - sHi * den) / denHi
        double p = sHi * denHi;
        double pe = twoProdErr(sHi, denHi, p);
        double sLo = (((num - p) - pe) - sHi * denLo) / denHi;
        // t = s^2
        double tHi = sHi * sHi;
        double tLo = twoProdErr(sHi, sHi, tHi) + 2 * sHi * sLo;
        double t2 = tHi + tLo;
        tLo = tLo - (t2 - tHi);
        tHi = t2;
        // Horner: q = sum t^j / (2j+1)
        double qHi = INV_ODD_HI[TERMS - 1];
        double qLo = INV_ODD_LO[TERMS - 1];
        for (int j = TERMS - 2; j >= 0; j--) {
            double[] prod = mul(qHi, qLo, tHi, tLo);
            double[] sum = add(prod[0], prod[1], INV_ODD_HI[j], INV_ODD_LO[j]);
            qHi = sum[0];
            qLo = sum[1];
        }
        // log(m) = 2 s q
        double[] lm = mul(qHi, qLo, 2 * sHi, 2 * sLo);
        // k ln2 as a double-double
        double kHi = k * LN2_HI;
        double kLo = twoProdErr(k, LN2_HI, kHi) + k * LN2_LO;
        double[] r = add(kHi, kLo, lm[0], lm[1]);
        return r[0] + r[1];
    }

    /** The rounding error of {@code a * b} whose rounded product is {@code p} (Dekker). */
    private static double twoProdErr(double a, double b, double p) {
        double ca = SPLITTER * a;
        double aHi = ca - (ca - a);
        double aLo = a - aHi;
        double cb = SPLITTER * b;
        double bHi = cb - (cb - b);
        double bLo = b - bHi;
        return ((aHi * bHi - p) + aHi * bLo + aLo * bHi) + aLo * bLo;
    }

    private static double[] mul(double aHi, double aLo, double bHi, double bLo) {
        double p = aHi * bHi;
        double e = twoProdErr(aHi, bHi, p) + (aHi * bLo + aLo * bHi);
        double hi = p + e;
        return new double[] {hi, e - (hi - p)};
    }

    private static double[] add(double aHi, double aLo, double bHi, double bLo) {
        double s = aHi + bHi;
        double bb = s - aHi;
        double err = (aHi - (s - bb)) + (bHi - bb);
        err += aLo + bLo;
        double hi = s + err;
        return new double[] {hi, err - (hi - s)};
    }
}
