package io.mambair.runtime.checkpoint;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElementTypeTest {

    /** Every one of the 65536 half-precision bit patterns against the IEEE 754 definition evaluated in double. */
    @Test
    void halfToFloatIsExactForEveryBitPattern() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            float actual = ElementType.halfToFloat((short) bits);
            if (exponent == 0x1f) {
                assertTrue(mantissa == 0 ? Float.isInfinite(actual) : Float.isNaN(actual), "bits " + bits);
                if (mantissa == 0) assertEquals(sign == 1, actual < 0);
                continue;
            }
            double magnitude = exponent == 0 ? Math.scalb((double) mantissa, -24) : Math.scalb(1 + mantissa / 1024.0, exponent - 15);
            double expected = sign == 1 ? -magnitude : magnitude;
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), "bits " + Integer.toHexString(bits));
        }
    }
}
