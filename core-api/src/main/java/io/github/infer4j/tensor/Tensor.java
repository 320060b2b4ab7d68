package io.github.infer4j.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A named, typed view of tensor data held in a {@link MemorySegment} (memory-mapped from a file or off-heap).
 * {@code dims} follow ggml's order: {@code dims[0]} is the innermost (contiguous) dimension, so a weight matrix
 * of {@code rows x cols} has {@code dims = {cols, rows}}.
 */
public record Tensor(String name, DType type, long[] dims, MemorySegment data) {

    public Tensor {
        dims = dims.clone();
        long expected = type.bytesFor(elementCount(dims));
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor " + name + ": " + type + " " + Arrays.toString(dims)
                    + " needs " + expected + " bytes, got " + data.byteSize());
        }
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Length of the innermost dimension. */
    public long cols() {
        return dims[0];
    }

    /** Product of every dimension but the innermost. */
    public long rows() {
        long rows = 1;
        for (int i = 1; i < dims.length; i++) {
            rows *= dims[i];
        }
        return rows;
    }

    public long elementCount() {
        return elementCount(dims);
    }

    /** Bytes of one row (one innermost run). */
    public long rowBytes() {
        return type.bytesFor(cols());
    }

    public static long elementCount(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + type + ", " + Arrays.toString(dims) + "]";
    }
}
