package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/**
 * ggml's Q5_0: blocks of 32 elements, each a binary16 scale {@code d} followed by the {@link FiveBitLevels}
 * (4 bytes of fifth bits, 16 bytes of nibbles); element value is {@code (q - 16) * d}. 22 bytes per block.
 */
public final class Q5_0Format implements BlockFormat {
    public static final Q5_0Format INSTANCE = new Q5_0Format();

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 22;
    private static final int QH = 2;
    private static final int QS = 6;

    private Q5_0Format() {
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
            int qh = data.get(LittleEndian.INT, block + QH);
            int out = dstOff + b * BLOCK;
            for (int i = 0; i < BLOCK; i++) {
                dst[out + i] = (FiveBitLevels.level(data, block + QS, qh, i) - 16) * d;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOff, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
            int qh = data.get(LittleEndian.INT, block + QH);
            int in = xOff + b * BLOCK;
            for (int i = 0; i < BLOCK; i++) {
                sum += ((FiveBitLevels.level(data, block + QS, qh, i) - 16) * d) * x[in + i];
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
            // As in Q4_0, the signed extreme maps to level 0 (-16 * d) so the wider side gets all 32 levels.
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < BLOCK; j++) {
                float v = src[in + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -16f;
            float id = d != 0f ? 1f / d : 0f;
            dst.set(LittleEndian.SHORT, block, Float.floatToFloat16(d));
            int qh = 0;
            for (int j = 0; j < half; j++) {
                qh |= FiveBitLevels.put(dst, block + QS, j, level(src[in + j] * id), level(src[in + j + half] * id));
            }
            dst.set(LittleEndian.INT, block + QH, qh);
        }
    }

    /** ggml's {@code MIN(31, (int8_t)(x + 16.5f))}: truncation after +16.5 rounds half up; the top is clamped. */
    private static int level(float scaled) {
        return Math.min(31, (int) (scaled + 16.5f));
    }
}
