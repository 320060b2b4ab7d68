package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 5-bit levels shared by Q5_0 and Q5_1 blocks of 32: a little-endian 32-bit word {@code qh} whose bit
 * {@code i} is the fifth bit of element {@code i}, and 16 bytes {@code qs} whose low nibble of byte {@code j} is
 * element {@code j} and whose high nibble is element {@code j + 16}.
 */
final class FiveBitLevels {
    static final int HALF = 16;

    private FiveBitLevels() {
    }

    /** Level (0..31) of element {@code i}, with {@code qh} already read and {@code qs} the offset of the nibbles. */
    static int level(MemorySegment data, long qs, int qh, int i) {
        int packed = data.get(ValueLayout.JAVA_BYTE, qs + (i & (HALF - 1)));
        int low = i < HALF ? packed & 0x0F : (packed >> 4) & 0x0F;
        return low | (((qh >>> i) & 1) << 4);
    }

    /** Levels (0..31) of all 32 elements into {@code levels}: fifth bits at byte {@code qh}, nibbles at {@code qs}. */
    static void levels(MemorySegment data, long qh, long qs, int[] levels) {
        int bits = data.get(LittleEndian.INT, qh);
        for (int i = 0; i < 2 * HALF; i++) {
            levels[i] = level(data, qs, bits, i);
        }
    }

    /**
     * Stores the low nibbles of elements {@code j} and {@code j + 16} and returns their fifth bits placed as in
     * {@code qh}, for the caller to OR together and store once.
     */
    static int put(MemorySegment dst, long qs, int j, int lo, int hi) {
        dst.set(ValueLayout.JAVA_BYTE, qs + j, (byte) ((lo & 0x0F) | ((hi & 0x0F) << 4)));
        return (((lo >> 4) & 1) << j) | (((hi >> 4) & 1) << (j + HALF));
    }
}
