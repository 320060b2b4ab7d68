package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q4_1: blocks of 32 elements, each a binary16 scale {@code d}, a binary16 offset {@code m}, then 16 bytes
 * whose low nibble holds element {@code j} and high nibble element {@code j + 16}; element value is
 * {@code q * d + m}. 20 bytes per block.
 */
public final class Q4_1Format implements BlockFormat {
    public static final Q4_1Format INSTANCE = new Q4_1Format();

    static final int BLOCK = 32;
    static final int HALF = BLOCK / 2;
    static final int BLOCK_BYTES = 4 + HALF;
    private static final int QS = 4;

    private Q4_1Format() {
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
            float m = Float.float16ToFloat(data.get(LittleEndian.SHORT, block + 2));
            int out = dstOff + b * BLOCK;
            for (int j = 0; j < HALF; j++) {
                int packed = data.get(ValueLayout.JAVA_BYTE, block + QS + j);
                dst[out + j] = (packed & 0x0F) * d + m;
                dst[out + j + HALF] = ((packed >> 4) & 0x0F) * d + m;
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
            int in = xOff + b * BLOCK;
            for (int j = 0; j < HALF; j++) {
                int packed = data.get(ValueLayout.JAVA_BYTE, block + QS + j);
                sum += ((packed & 0x0F) * d + m) * x[in + j];
            }
            for (int j = 0; j < HALF; j++) {
                int packed = data.get(ValueLayout.JAVA_BYTE, block + QS + j);
                sum += (((packed >> 4) & 0x0F) * d + m) * x[in + j + HALF];
            }
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset) {
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
            // The block's minimum becomes level 0 and its maximum level 15.
            float d = (max - min) / 15f;
            float id = d != 0f ? 1f / d : 0f;
            dst.set(LittleEndian.SHORT, block, Float.floatToFloat16(d));
            dst.set(LittleEndian.SHORT, block + 2, Float.floatToFloat16(min));
            for (int j = 0; j < HALF; j++) {
                int lo = level((src[in + j] - min) * id);
                int hi = level((src[in + j + HALF] - min) * id);
                dst.set(ValueLayout.JAVA_BYTE, block + QS + j, (byte) (lo | (hi << 4)));
            }
        }
    }

    /** ggml's {@code MIN(15, (int8_t)(x + 0.5f))}: truncation after +0.5 rounds half up, and the top is clamped. */
    private static int level(float scaled) {
        return Math.min(15, (int) (scaled + 0.5f));
    }
}
