package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/**
 * ggml's Q5_1: blocks of 32 elements, each a binary16 scale {@code d}, a binary16 offset {@code m}, then the
 * {@link FiveBitLevels} (4 bytes of fifth bits, 16 bytes of nibbles); element value is {@code q * d + m}.
 * 24 bytes per block.
 */
public final class Q5_1Format extends BlockwiseFormat implements LeveledFormat {
    public static final Q5_1Format INSTANCE = new Q5_1Format();

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 24;
    private static final int QH = 4;
    private static final int QS = 8;

    private Q5_1Format() {
        super(BLOCK, BLOCK_BYTES);
    }

    @Override
    void dequantizeBlock(MemorySegment data, long block, float[] dst, int out) {
        float d = LittleEndian.float16(data, block);
        float m = LittleEndian.float16(data, block + 2);
        int qh = data.get(LittleEndian.INT, block + QH);
        for (int i = 0; i < BLOCK; i++) {
            dst[out + i] = FiveBitLevels.level(data, block + QS, qh, i) * d + m;
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

    @Override
    public void levels(MemorySegment data, long offset, int[] levels, float[] scales, float[] offsets) {
        scales[0] = LittleEndian.float16(data, offset);
        offsets[0] = LittleEndian.float16(data, offset + 2);
        FiveBitLevels.levels(data, offset + QH, offset + QS, levels);
    }

    @Override
    float dotBlock(MemorySegment data, long block, float[] x, int in, float sum) {
        float d = LittleEndian.float16(data, block);
        float m = LittleEndian.float16(data, block + 2);
        int qh = data.get(LittleEndian.INT, block + QH);
        for (int i = 0; i < BLOCK; i++) {
            sum += (FiveBitLevels.level(data, block + QS, qh, i) * d + m) * x[in + i];
        }
        return sum;
    }

    @Override
    BlockQuantizer newQuantizer() {
        return Q5_1Format::quantizeBlock;
    }

    private static void quantizeBlock(float[] src, int in, MemorySegment dst, long block) {
        int half = FiveBitLevels.HALF;
        float min = BlockExtremes.min(src, in, BLOCK);
        float d = (BlockExtremes.max(src, in, BLOCK) - min) / 31f;
        float id = d != 0f ? 1f / d : 0f;
        LittleEndian.setFloat16(dst, block, d);
        LittleEndian.setFloat16(dst, block + 2, min);
        int qh = 0;
        for (int j = 0; j < half; j++) {
            // ggml truncates after +0.5 without clamping: (x - min) / d never exceeds 31 by half a step.
            int lo = (int) ((src[in + j] - min) * id + 0.5f);
            int hi = (int) ((src[in + j + half] - min) * id + 0.5f);
            qh |= FiveBitLevels.put(dst, block + QS, j, lo, hi);
        }
        dst.set(LittleEndian.INT, block + QH, qh);
    }
}
