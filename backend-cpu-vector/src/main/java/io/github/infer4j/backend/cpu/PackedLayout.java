package io.github.infer4j.backend.cpu;

import io.github.infer4j.tensor.DType;

/**
 * How {@link PackedMatrix} stores one kind of quantized matrix, in groups of {@code G} blocks of 32 elements
 * ({@code G} = int lanes of a vector). Every layout but {@link #Q8_0} starts a group with the same nibble plane:
 * the low four bits of each element's level, interleaved as {@link PackedMatrix} describes. Byte offsets below are
 * within a group.
 */
enum PackedLayout {
    /** Signed quants as bytes, then binary16 scales at {@code 32G}; rows in pairs. */
    Q8_0(34, 32, true),
    /**
     * Nibbles of levels {@code q} (value {@code (q - 8) d}), then binary16 scales {@code d} at {@code 16G}; rows in
     * pairs.
     */
    Q4_0(18, 16, true),
    /**
     * Q4_1 and Q4_K: nibbles of levels {@code q}, then float scales at {@code 16G} and float offsets at {@code 20G};
     * value {@code scale q + offset}.
     */
    AFFINE_4(24, 16, false),
    /**
     * Q5_0, Q5_1 and Q5_K: nibbles, then one int per block holding the fifth bits (bit {@code 16h + v} for element
     * {@code 2v + h}) at {@code 16G}, float scales at {@code 20G}, float offsets at {@code 24G}.
     */
    AFFINE_5(28, 20, false),
    /**
     * Q6_K: nibbles of {@code q + 32} (q the signed level -32..31), then two ints per block of the top two bits (at
     * {@code 16G} for element pairs 0..7, bits {@code 16h + 2v}; at {@code 20G} for pairs 8..15, bits
     * {@code 16h + 2(v - 8)}), then the float scales of elements 0..15 at {@code 24G} and of 16..31 at {@code 28G};
     * value {@code scale q}.
     */
    SIX_BIT(32, 24, false);

    /** Bytes per block of 32 elements. */
    final int blockBytes;
    /** Where the scales start in a group, in units of {@code G} bytes. */
    final int scalesAt;
    /**
     * Whether rows are stored in pairs with their groups alternating ({@link RowPairs}) rather than one after the
     * other: the layouts whose decode kernels take two rows at once.
     */
    final boolean pairsRows;

    PackedLayout(int blockBytes, int scalesAt, boolean pairsRows) {
        this.blockBytes = blockBytes;
        this.scalesAt = scalesAt;
        this.pairsRows = pairsRows;
    }

    /** The layout for matrices of {@code type}, or null when such matrices are read in place. */
    static PackedLayout of(DType type) {
        return switch (type) {
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
            case Q4_1, Q4_K -> AFFINE_4;
            case Q5_0, Q5_1, Q5_K -> AFFINE_5;
            case Q6_K -> SIX_BIT;
            case F32, F16, BF16 -> null;
        };
    }
}
