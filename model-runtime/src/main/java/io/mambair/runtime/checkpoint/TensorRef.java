package io.mambair.runtime.checkpoint;

import java.util.Arrays;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a view (offset, size, stride) into a storage.
 * Nothing is read until {@link #materialize}, which copies the view into a dense row-major {@link Tensor}.
 */
final class TensorRef {
    private final Storage storage;
    private final long offset;
    private final long[] size;
    private final long[] stride;

    private TensorRef(Storage storage, long offset, long[] size, long[] stride) {
        this.storage = storage;
        this.offset = offset;
        this.size = size;
        this.stride = stride;
    }

    /** From the arguments of {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks[, metadata])}. */
    static TensorRef rebuild(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Storage storage) || !(args[1] instanceof Number offset)
                || !(args[2] instanceof Object[] size) || !(args[3] instanceof Object[] stride) || size.length != stride.length) {
            throw new CheckpointException("malformed torch._utils._rebuild_tensor_v2 arguments in checkpoint pickle");
        }
        return new TensorRef(storage, offset.longValue(), longs(size), longs(stride));
    }

    /** The tensor wrapped by {@code _rebuild_parameter(data, requires_grad, hooks[, state])}. */
    static TensorRef parameter(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof TensorRef data)) {
            throw new CheckpointException("malformed torch._utils._rebuild_parameter arguments in checkpoint pickle");
        }
        return data;
    }

    private static long[] longs(Object[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] instanceof Number n)) {
                throw new CheckpointException("malformed tensor size/stride in checkpoint pickle: " + Arrays.toString(values));
            }
            out[i] = n.longValue();
        }
        return out;
    }

    /** A dense copy of the view, named {@code name} in error messages. */
    Tensor materialize(String name) {
        if (storage.storageClass().type() == null) {
            throw new CheckpointException("tensor '" + name + "' is stored as " + storage.storageClass().global()
                    + "; only float32, float16, bfloat16 and float64 tensors are supported");
        }
        long numel = checkedNumel(name);
        if (numel == 0) return new Tensor(size.clone(), new float[0]);
        long last = offset;
        for (int d = 0; d < size.length; d++) last += (size[d] - 1) * stride[d];
        if (offset < 0 || last >= storage.numel()) {
            throw new CheckpointException("tensor '" + name + "' (size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                    + ", offset " + offset + ") reaches past the end of storage '" + storage.key() + "' of " + storage.numel() + " elements");
        }
        return new Tensor(size.clone(), gather(storage.values(), (int) numel));
    }

    private long checkedNumel(String name) {
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new CheckpointException("tensor '" + name + "' has a negative size or stride: size " + Arrays.toString(size)
                        + ", stride " + Arrays.toString(stride));
            }
        }
        try {
            long numel = Tensor.numel(size);
            if (numel > Integer.MAX_VALUE - 8) throw new ArithmeticException();
            for (int d = 0; d < size.length; d++) Math.multiplyExact(size[d], stride[d]);
            return numel;
        } catch (ArithmeticException e) {
            throw new CheckpointException("tensor '" + name + "' has an absurd size " + Arrays.toString(size));
        }
    }

    /** Copies the strided view in row-major order: the last dimension innermost. */
    private float[] gather(float[] src, int numel) {
        float[] dst = new float[numel];
        int rank = size.length;
        if (rank == 0) {
            dst[0] = src[(int) offset];
            return dst;
        }
        long innerSize = size[rank - 1];
        long innerStride = stride[rank - 1];
        long[] index = new long[rank];
        long base = offset;
        int out = 0;
        while (true) {
            long p = base;
            for (long j = 0; j < innerSize; j++, p += innerStride) dst[out++] = src[(int) p];
            int d = rank - 2;
            for (; d >= 0; d--) {
                index[d]++;
                base += stride[d];
                if (index[d] < size[d]) break;
                base -= stride[d] * size[d];
                index[d] = 0;
            }
            if (d < 0) return dst;
        }
    }
}
