package io.github.infer4j.gguf;

import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a tensor lies in a GGUF file: {@code dims} in ggml order (innermost first) and {@code offset} in bytes from
 * the start of the data section.
 */
public record GgufTensorInfo(String name, DType type, long[] dims, long offset) {

    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public long elementCount() {
        return Tensor.elementCount(dims);
    }

    /** Bytes the tensor's data occupies in the file. */
    public long byteSize() {
        return type.bytesFor(elementCount());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GgufTensorInfo t && name.equals(t.name) && type == t.type
                && Arrays.equals(dims, t.dims) && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(dims), offset);
    }

    @Override
    public String toString() {
        return "GgufTensorInfo[" + name + ", " + type + ", " + Arrays.toString(dims) + ", offset " + offset + "]";
    }
}
