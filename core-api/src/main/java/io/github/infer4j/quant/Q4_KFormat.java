package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/**
 * ggml's Q4_K: super-blocks of 256 elements with the {@link ScaleMinSuperBlock} header (binary16 {@code d} and
 * {@code dmin}, 12 bytes of 6-bit scales and mins), then 128 bytes of 4-bit levels: the 64 elements from
 * {@code 64c} use bytes {@code 32c..32c+31}, the first 32 in the low nibbles and the next 32 in the high ones.
 * Element value is {@code d * sc[s] * q - dmin * m[s]} for sub-block {@code s} (32 elements). 144 bytes.
 */
public final class Q4_KFormat extends ScaleMinFormat {
    public static final Q4_KFormat INSTANCE = new Q4_KFormat();

    static final int BLOCK = ScaleMinSuperBlock.ELEMENTS;
    static final int BLOCK_BYTES = ScaleMinSuperBlock.HEADER_BYTES + BLOCK / 2;
    private static final int QS = ScaleMinSuperBlock.HEADER_BYTES;

    private Q4_KFormat() {
        super(BLOCK_BYTES, 15, -1f, 20);
    }

    @Override
    int level(MemorySegment data, long block, int s, int l) {
        return lowNibble(data, block + QS, s, l);
    }

    @Override
    void putLevels(byte[] levels, MemorySegment dst, long block) {
        putLowNibbles(levels, dst, block + QS);
    }
}
