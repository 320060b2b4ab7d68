package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q4_0: blocks of 32 elements, each a binary16 scale {@code d} followed by 16 bytes; the low nibble of byte
 * {@code j} holds element {@code j}, the high nibble element {@code j + 16}; element value is {@code (q - 8) * d}.
 * 18 bytes per block.
 */
public final class Q4_0Format extends BlockwiseFormat {
    public static final Q4_0Format INSTANCE = new Q4_0Format();

    static final int BLOCK = 32;
    static final int HALF = BLOCK / 2;
    static final int BLOCK_BYTES = 2 + HALF;

    private Q4_0Format() {
        super(BLOCK, BLOCK_BYTES);
    }

    @Override
    void dequantizeBlock(MemorySegment data, long block, float[] dst, int out) {
        float d = LittleEndian.float16(data, block);
        for (int j = 0; j < HALF; j++) {
            int packed = data.get(ValueLayout.JAVA_BYTE, block + 2 + j);
            dst[out + j] = ((packed & 0x0F) - 8) * d;
            dst[out + j + HALF] = (((packed >> 4) & 0x0F) - 8) * d;
        }
    }

    @Override
    float dotBlock(MemorySegment data, long block, float[] x, int in, float sum) {
        float blockSum = 0f;
        for (int j = 0; j < HALF; j++) {
            int packed = data.get(ValueLayout.JAVA_BYTE, block + 2 + j);
            blockSum += ((packed & 0x0F) - 8) * x[in + j] + (((packed >> 4) & 0x0F) - 8) * x[in + j + HALF];
        }
        return sum + blockSum * LittleEndian.float16(data, block);
    }

    @Override
    BlockQuantizer newQuantizer() {
        return Q4_0Format::quantizeBlock;
    }

    private static void quantizeBlock(float[] src, int in, MemorySegment dst, long block) {
        // The signed extreme maps to level 0 (-8 * d), giving the full 16 levels to the wider side.
        float d = BlockExtremes.largestMagnitude(src, in, BLOCK) / -8f;
        float id = d != 0f ? 1f / d : 0f;
        LittleEndian.setFloat16(dst, block, d);
        for (int j = 0; j < HALF; j++) {
            int lo = level(src[in + j] * id);
            int hi = level(src[in + j + HALF] * id);
            dst.set(ValueLayout.JAVA_BYTE, block + 2 + j, (byte) (lo | (hi << 4)));
        }
    }

    /** ggml's {@code MIN(15, (int8_t)(x + 8.5f))}: truncation after +8.5 rounds half up, and the top is clamped. */
    private static int level(float scaled) {
        return Math.min(15, (int) (scaled + 8.5f));
    }
}
