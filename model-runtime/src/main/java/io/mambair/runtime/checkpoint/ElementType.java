package io.mambair.runtime.checkpoint;

import java.nio.ByteBuffer;

/** A stored floating-point element type; every one is widened to float32 on load. */
enum ElementType {
    FLOAT32(4), FLOAT16(2), BFLOAT16(2), FLOAT64(8);

    private final int bytes;

    ElementType(int bytes) { this.bytes = bytes; }

    /** Bytes per element. */
    int bytes() { return bytes; }

    /** Decodes {@code count} elements from the start of {@code buf} (whose byte order is already set). */
    float[] decode(ByteBuffer buf, int count) {
        float[] out = new float[count];
        switch (this) {
            case FLOAT32 -> { for (int i = 0; i < count; i++) out[i] = buf.getFloat(4 * i); }
            case FLOAT16 -> { for (int i = 0; i < count; i++) out[i] = halfToFloat(buf.getShort(2 * i)); }
            case BFLOAT16 -> { for (int i = 0; i < count; i++) out[i] = Float.intBitsToFloat((buf.getShort(2 * i) & 0xffff) << 16); }
            case FLOAT64 -> { for (int i = 0; i < count; i++) out[i] = (float) buf.getDouble(8 * i); }
        }
        return out;
    }

    /**
     * IEEE 754 binary16 to float32, exact for every value (subnormals, infinities, NaN included).
     * Hand-written because {@code Float.float16ToFloat} only exists from Java 20 on and we target 17.
     */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
