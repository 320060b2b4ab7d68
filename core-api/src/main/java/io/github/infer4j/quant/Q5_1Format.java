package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/**
 * ggml's Q5_1: blocks of 32 elements, each a binary16 scale {@code d}, a binary16 offset {@code m}, then the
 * {@link FiveBitLevels} (4 bytes of fifth bits, 16 bytes of nibbles); element value is {@code q * d + m}.
 * 24 bytes per block.
 */
public final class Q5_1Format implements BlockFormat {
    public static final Q5_1Format INSTANCE = new Q5_1Format();

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 24;
    private static final int QH = 4;
    private static final int QS = 8;

    private Q5_1Format() {
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
            float m = Float.float16ToFloat(data.get(LittleEndian.SHORT, block + 2));
            int qh = data.get(LittleEndian.INT, block + QH);
            int out = dstOff + b * BLOCK;
            for (int i = 0; i < BLOCK; i++) {
                dst[out + i] = FiveBitLevels.level(data, block + QS, qh, i) * d + m;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOff, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
            float m = Float.float16ToFloat(data.get(LittleEndian.SHORT, block + 2));
            int qh = data.get(LittleEndian.INT, block + QH);
            int in = xOff + b * BLOCK;
            for (int i = 0; i < BLOCK; i++) {
                sum += (FiveBitLevels.level(data, block + QS, qh, i) * d + m) * x[in + i];
            }
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset) {
        int half = FiveBitLevels.HALF;
        for (int b = 0; b < n / BLOCK; b++) {
            int in = srcOff + b * BLOCK;
            long block = offset + (long) b * BLOCK_BYTES;
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            // Plain comparisons, not Math.min/max: they keep ggml's choice between -0.0 and 0.0, which is stored.
            for (int j = 0; j < BLOCK; j++) {
                float v = src[in + j];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            float d = (max - min) / 31f;
            float id = d != 0f ? 1f / d : 0f;
            dst.set(LittleEndian.SHORT, block, Float.floatToFloat16(d));
            dst.set(LittleEndian.SHORT, block + 2, Float.floatToFloat16(min));
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
}
