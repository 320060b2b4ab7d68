package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/**
 * ggml's Q5_0: blocks of 32 elements, each a binary16 scale {@code d} followed by the {@link FiveBitLevels}
 * (4 bytes of fifth bits, 16 bytes of nibbles); element value is {@code (q - 16) * d}. 22 bytes per block.
 */
public final class Q5_0Format extends BlockwiseFormat implements LeveledFormat {
    public static final Q5_0Format INSTANCE = new Q5_0Format();

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 22;
    private static final int QH = 2;
    private static final int QS = 6;

    private Q5_0Format() {
        super(BLOCK, BLOCK_BYTES);
    }

    @Override
    void dequantizeBlock(MemorySegment data, long block, float[] dst, int out) {
        float d = LittleEndian.float16(data, block);
        int qh = data.get(LittleEndian.INT, block + QH);
        for (int i = 0; i < BLOCK; i++) {
            dst[out + i] = (FiveBitLevels.level(data, block + QS, qh, i) - 16) * d;
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
        return 31;
    }

    /** Levels as stored (0..31), so the offset is {@code -16 d}: {@code d q - 16 d} is {@code (q - 16) d} exactly. */
    @Override
    public void levels(MemorySegment data, long offset, int[] levels, float[] scales, float[] offsets) {
        float d = LittleEndian.float16(data, offset);
        scales[0] = d;
        offsets[0] = -16 * d;
        FiveBitLevels.levels(data, offset + QH, offset + QS, levels);
    }

    @Override
    float dotBlock(MemorySegment data, long block, float[] x, int in, float sum) {
        float d = LittleEndian.float16(data, block);
        int qh = data.get(LittleEndian.INT, block + QH);
        for (int i = 0; i < BLOCK; i++) {
            sum += ((FiveBitLevels.level(data, block + QS, qh, i) - 16) * d) * x[in + i];
        }
        return sum;
    }

    @Override
    BlockQuantizer newQuantizer() {
        return Q5_0Format::quantizeBlock;
    }

    private static void quantizeBlock(float[] src, int in, MemorySegment dst, long block) {
        int half = FiveBitLevels.HALF;
        // As in Q4_0, the signed extreme maps to level 0 (-16 * d) so the wider side gets all 32 levels.
        float d = BlockExtremes.largestMagnitude(src, in, BLOCK) / -16f;
        float id = d != 0f ? 1f / d : 0f;
        LittleEndian.setFloat16(dst, block, d);
        int qh = 0;
        for (int j = 0; j < half; j++) {
            qh |= FiveBitLevels.put(dst, block + QS, j, level(src[in + j] * id), level(src[in + j + half] * id));
        }
        dst.set(LittleEndian.INT, block + QH, qh);
    }

    /** ggml's {@code MIN(31, (int8_t)(x + 16.5f))}: truncation after +16.5 rounds half up; the top is clamped. */
    private static int level(float scaled) {
        return Math.min(31, (int) (scaled + 16.5f));
    }
}
