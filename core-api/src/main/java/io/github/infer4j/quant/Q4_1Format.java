package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q4_1: blocks of 32 elements, each a binary16 scale {@code d}, a binary16 offset {@code m}, then 16 bytes
 * whose low nibble holds element {@code j} and high nibble element {@code j + 16}; element value is
 * {@code q * d + m}. 20 bytes per block.
 */
public final class Q4_1Format extends BlockwiseFormat implements LeveledFormat {
    public static final Q4_1Format INSTANCE = new Q4_1Format();

    static final int BLOCK = 32;
    static final int HALF = BLOCK / 2;
    static final int BLOCK_BYTES = 4 + HALF;
    private static final int QS = 4;

    private Q4_1Format() {
        super(BLOCK, BLOCK_BYTES);
    }

    @Override
    void dequantizeBlock(MemorySegment data, long block, float[] dst, int out) {
        float d = LittleEndian.float16(data, block);
        float m = LittleEndian.float16(data, block + 2);
        for (int j = 0; j < HALF; j++) {
            int packed = data.get(ValueLayout.JAVA_BYTE, block + QS + j);
            dst[out + j] = (packed & 0x0F) * d + m;
            dst[out + j + HALF] = ((packed >> 4) & 0x0F) * d + m;
        }
    }

    @Override
    public int subBlockSize() {
        return BLOCK;
    }

    @Override
    public int minLevel() {
        return 0;
    }

    @Override
    public int maxLevel() {
        return 15;
    }

    @Override
    public void levels(MemorySegment data, long offset, int[] levels, float[] scales, float[] offsets) {
        scales[0] = LittleEndian.float16(data, offset);
        offsets[0] = LittleEndian.float16(data, offset + 2);
        for (int j = 0; j < HALF; j++) {
            int packed = data.get(ValueLayout.JAVA_BYTE, offset + QS + j);
            levels[j] = packed & 0x0F;
            levels[j + HALF] = (packed >> 4) & 0x0F;
        }
    }

    @Override
    float dotBlock(MemorySegment data, long block, float[] x, int in, float sum) {
        float d = LittleEndian.float16(data, block);
        float m = LittleEndian.float16(data, block + 2);
        for (int j = 0; j < HALF; j++) {
            int packed = data.get(ValueLayout.JAVA_BYTE, block + QS + j);
            sum += ((packed & 0x0F) * d + m) * x[in + j];
        }
        for (int j = 0; j < HALF; j++) {
            int packed = data.get(ValueLayout.JAVA_BYTE, block + QS + j);
            sum += (((packed >> 4) & 0x0F) * d + m) * x[in + j + HALF];
        }
        return sum;
    }

    @Override
    BlockQuantizer newQuantizer() {
        return Q4_1Format::quantizeBlock;
    }

    private static void quantizeBlock(float[] src, int in, MemorySegment dst, long block) {
        // The block's minimum becomes level 0 and its maximum level 15.
        float min = BlockExtremes.min(src, in, BLOCK);
        float d = (BlockExtremes.max(src, in, BLOCK) - min) / 15f;
        float id = d != 0f ? 1f / d : 0f;
        LittleEndian.setFloat16(dst, block, d);
        LittleEndian.setFloat16(dst, block + 2, min);
        for (int j = 0; j < HALF; j++) {
            int lo = level((src[in + j] - min) * id);
            int hi = level((src[in + j + HALF] - min) * id);
            dst.set(ValueLayout.JAVA_BYTE, block + QS + j, (byte) (lo | (hi << 4)));
        }
    }

    /** ggml's {@code MIN(15, (int8_t)(x + 0.5f))}: truncation after +0.5 rounds half up, and the top is clamped. */
    private static int level(float scaled) {
        return Math.min(15, (int) (scaled + 0.5f));
    }
}
