package io.github.infer4j.tensor;

import io.github.infer4j.quant.BF16Format;
import io.github.infer4j.quant.BlockFormat;
import io.github.infer4j.quant.F16Format;
import io.github.infer4j.quant.F32Format;
import io.github.infer4j.quant.Q4_0Format;
import io.github.infer4j.quant.Q4_1Format;
import io.github.infer4j.quant.Q4_KFormat;
import io.github.infer4j.quant.Q5_0Format;
import io.github.infer4j.quant.Q5_1Format;
import io.github.infer4j.quant.Q5_KFormat;
import io.github.infer4j.quant.Q6_KFormat;
import io.github.infer4j.quant.Q8_0Format;

/**
 * Element types of tensors, with the ggml type id used in GGUF files. Quantized types store {@link #blockSize()}
 * elements in {@link #blockBytes()} bytes; plain types are blocks of one element. The K-quants (Q4_K, Q5_K, Q6_K)
 * use super-blocks of 256 elements, so their rows must be multiples of 256.
 */
public enum DType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    BF16(30, 1, 2);

    private final int ggmlId;
    private final int blockSize;
    private final int blockBytes;

    DType(int ggmlId, int blockSize, int blockBytes) {
        this.ggmlId = ggmlId;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    public int ggmlId() {
        return ggmlId;
    }

    /** Elements per block (1 for F32/F16/BF16). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes one block occupies. */
    public int blockBytes() {
        return blockBytes;
    }

    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Bytes needed for {@code elements} elements; the caller must have checked divisibility by the block size. */
    public long bytesFor(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(this + " needs a multiple of " + blockSize + " elements, got " + elements);
        }
        return Math.multiplyExact(elements / blockSize, (long) blockBytes);
    }

    /** The scalar reference implementation (dequantize, dot, quantize) of this type: the oracle for every backend. */
    public BlockFormat format() {
        return switch (this) {
            case F32 -> F32Format.INSTANCE;
            case F16 -> F16Format.INSTANCE;
            case BF16 -> BF16Format.INSTANCE;
            case Q8_0 -> Q8_0Format.INSTANCE;
            case Q4_0 -> Q4_0Format.INSTANCE;
            case Q4_1 -> Q4_1Format.INSTANCE;
            case Q5_0 -> Q5_0Format.INSTANCE;
            case Q5_1 -> Q5_1Format.INSTANCE;
            case Q4_K -> Q4_KFormat.INSTANCE;
            case Q5_K -> Q5_KFormat.INSTANCE;
            case Q6_K -> Q6_KFormat.INSTANCE;
        };
    }

    /** The type with this ggml id, or {@code null} when Infer4j does not support it. */
    public static DType fromGgmlId(int id) {
        for (DType t : values()) {
            if (t.ggmlId == id) {
                return t;
            }
        }
        return null;
    }
}
