package io.github.infer4j.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as a safetensors header describes it: {@code dtype} as named there (e.g. {@code BF16}), {@code shape}
 * outermost first (PyTorch order, the reverse of ggml's), and its bytes at {@code [begin, end)} of the data section
 * that follows the header.
 */
public record SafetensorsTensorInfo(String name, String dtype, long[] shape, long begin, long end) {

    public SafetensorsTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The shape in ggml order (innermost first); a scalar (empty shape) is one element. */
    public long[] ggmlDims() {
        if (shape.length == 0) {
            return new long[] {1};
        }
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[shape.length - 1 - i];
        }
        return dims;
    }

    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SafetensorsTensorInfo t && name.equals(t.name) && dtype.equals(t.dtype)
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return "SafetensorsTensorInfo[" + name + ", " + dtype + ", " + Arrays.toString(shape) + ", [" + begin + ", "
                + end + ")]";
    }
}
