package io.mambair.runtime.checkpoint;

import java.util.Arrays;

/** A dense float32 tensor in C (row-major) order, as read from a checkpoint (any stored dtype is widened). */
public record Tensor(long[] shape, float[] data) {
    public Tensor {
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not match " + data.length + " values");
        }
    }

    /** Number of elements of a shape. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public int rank() { return shape.length; }

    /** Size of dimension {@code i}, negative {@code i} counting from the end. */
    public int dim(int i) { return (int) shape[i < 0 ? shape.length + i : i]; }

    @Override
    public String toString() { return "Tensor" + Arrays.toString(shape); }
}
