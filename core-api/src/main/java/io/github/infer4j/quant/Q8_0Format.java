package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q8_0: blocks of 32 elements, each a binary16 scale {@code d} followed by 32 signed bytes {@code q};
 * element {@code i} is {@code q[i] * d}. 34 bytes per block.
 */
public final class Q8_0Format implements BlockFormat {
    public static final Q8_0Format INSTANCE = new Q8_0Format();

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 2 + BLOCK;

    private Q8_0Format() {
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
            int out = dstOff + b * BLOCK;
            for (int j = 0; j < BLOCK; j++) {
                dst[out + j] = data.get(ValueLayout.JAVA_BYTE, block + 2 + j) * d;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOff, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int in = xOff + b * BLOCK;
            // Summing q*x first and scaling once per block is how ggml's kernels order the arithmetic.
            float blockSum = 0f;
            for (int j = 0; j < BLOCK; j++) {
                blockSum += data.get(ValueLayout.JAVA_BYTE, block + 2 + j) * x[in + j];
            }
            sum += blockSum * Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset) {
        for (int b = 0; b < n / BLOCK; b++) {
            int in = srcOff + b * BLOCK;
            long block = offset + (long) b * BLOCK_BYTES;
            float amax = 0f;
            for (int j = 0; j < BLOCK; j++) {
                amax = Math.max(amax, Math.abs(src[in + j]));
            }
            float d = amax / 127f;
            // ggml divides by the unrounded scale and only stores it as binary16; matching that keeps files identical.
            float id = d != 0f ? 1f / d : 0f;
            dst.set(LittleEndian.SHORT, block, Float.floatToFloat16(d));
            for (int j = 0; j < BLOCK; j++) {
                dst.set(ValueLayout.JAVA_BYTE, block + 2 + j, (byte) roundHalfAway(src[in + j] * id));
            }
        }
    }

    /**
     * C's {@code roundf}: ties go away from zero, unlike {@link Math#round(float)}. The +0.5 is done in double
     * because in float it rounds 0.49999997f up to 1.
     */
    private static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }
}
