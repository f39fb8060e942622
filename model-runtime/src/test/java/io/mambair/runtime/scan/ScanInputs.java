package io.mambair.runtime.scan;

import java.util.SplittableRandom;

/**
 * The inputs of one selective-scan call as flat row-major float32 arrays, checked against {@code shape}:
 * {@code u, delta} (B, D, L), {@code a} (D, N), {@code bs, cs} (B, G, N, L), {@code ds, deltaBias} (D).
 */
public record ScanInputs(ScanShape shape, float[] u, float[] delta, float[] a, float[] bs, float[] cs,
                         float[] ds, float[] deltaBias) {
    public ScanInputs {
        requireLength("u", u, shape.sequenceSize());
        requireLength("delta", delta, shape.sequenceSize());
        requireLength("A", a, Math.multiplyExact(shape.channels(), shape.states()));
        requireLength("Bs", bs, shape.groupedStateSize());
        requireLength("Cs", cs, shape.groupedStateSize());
        requireLength("Ds", ds, shape.channels());
        requireLength("delta_bias", deltaBias, shape.channels());
    }

    /**
     * Random inputs shaped like MambaIR's: u, Bs, Cs, Ds standard normal, delta normal around
     * {@code deltaMean}, delta_bias normal with sd 0.5, {@code A = -exp(normal) * aScale}.
     */
    public static ScanInputs random(ScanShape shape, long seed, float deltaMean, float aScale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = normal(random, shape.channels() * shape.states(), 0f, 1f);
        for (int i = 0; i < a.length; i++) a[i] = (float) -Math.exp(a[i]) * aScale;
        return new ScanInputs(shape,
                normal(random, shape.sequenceSize(), 0f, 1f),
                normal(random, shape.sequenceSize(), deltaMean, 1f),
                a,
                normal(random, shape.groupedStateSize(), 0f, 1f),
                normal(random, shape.groupedStateSize(), 0f, 1f),
                normal(random, shape.channels(), 0f, 1f),
                normal(random, shape.channels(), 0f, 0.5f));
    }

    private static float[] normal(SplittableRandom random, int size, float mean, float sd) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            // Box-Muller; one of the pair is enough here
            double radius = Math.sqrt(-2.0 * Math.log(1.0 - random.nextDouble()));
            values[i] = (float) (mean + sd * radius * Math.cos(2.0 * Math.PI * random.nextDouble()));
        }
        return values;
    }

    private static void requireLength(String name, float[] values, int expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + expected);
        }
    }
}
