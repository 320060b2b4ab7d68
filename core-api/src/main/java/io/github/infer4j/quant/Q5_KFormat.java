package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q5_K: super-blocks of 256 elements with the {@link ScaleMinSuperBlock} header (binary16 {@code d} and
 * {@code dmin}, 12 bytes of 6-bit scales and mins), then 32 bytes {@code qh} of fifth bits, then 128 bytes
 * {@code qs} of low nibbles. Sub-block {@code s} (32 elements) keeps its low nibbles in bytes
 * {@code qs[32*(s/2)..]} (low nibble for even {@code s}, high for odd) and its fifth bits in bit {@code s} of
 * {@code qh[0..31]}. Element value is {@code d * sc[s] * q - dmin * m[s]}. 176 bytes.
 */
public final class Q5_KFormat extends ScaleMinFormat {
    public static final Q5_KFormat INSTANCE = new Q5_KFormat();

    static final int BLOCK = ScaleMinSuperBlock.ELEMENTS;
    static final int BLOCK_BYTES = ScaleMinSuperBlock.HEADER_BYTES + BLOCK / 8 + BLOCK / 2;
    private static final int SUB = ScaleMinSuperBlock.SUB;
    private static final int QH = ScaleMinSuperBlock.HEADER_BYTES;
    private static final int QS = QH + BLOCK / 8;

    private Q5_KFormat() {
        super(BLOCK_BYTES, 31, -0.5f, 15);
    }

    @Override
    int level(MemorySegment data, long block, int s, int l) {
        int high = (data.get(ValueLayout.JAVA_BYTE, block + QH + l) >> s) & 1;
        return lowNibble(data, block + QS, s, l) | (high << 4);
    }

    @Override
    void putLevels(byte[] levels, MemorySegment dst, long block) {
        for (int l = 0; l < SUB; l++) {
            int high = 0;
            for (int s = 0; s < ScaleMinSuperBlock.SUBS; s++) {
                high |= (levels[s * SUB + l] >> 4) << s;
            }
            dst.set(ValueLayout.JAVA_BYTE, block + QH + l, (byte) high);
        }
        putLowNibbles(levels, dst, block + QS);
    }
}
