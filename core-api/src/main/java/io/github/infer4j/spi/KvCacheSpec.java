package io.github.infer4j.spi;

import io.github.infer4j.tensor.DType;

/** Shape and element type of a KV cache: {@code capacity} positions of keys and values for each layer. */
public record KvCacheSpec(int layers, int kvHeads, int headDim, int capacity, DType type) {
    public KvCacheSpec {
        if (layers <= 0 || kvHeads <= 0 || headDim <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("KV cache dimensions must be positive: " + layers + " layers, "
                    + kvHeads + " heads, head dim " + headDim + ", capacity " + capacity);
        }
        if (type != DType.F32 && type != DType.F16) {
            throw new IllegalArgumentException("KV cache type must be F32 or F16, got " + type);
        }
    }

    /** Bytes of keys plus values over all layers. */
    public long byteSize() {
        return 2L * layers * capacity * kvHeads * headDim * type.blockBytes();
    }
}
