package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q8_0: blocks of 32 elements, each a binary16 scale {@code d} followed by 32 signed bytes {@code q};
 * element {@code i} is {@code q[i] * d}. 34 bytes per block.
 */
public final class Q8_0Format extends BlockwiseFormat {
    public static final Q8_0Format INSTANCE = new Q8_0Format();

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 2 + BLOCK;

    private Q8_0Format() {
        super(BLOCK, BLOCK_BYTES);
    }

    @Override
    void dequantizeBlock(MemorySegment data, long block, float[] dst, int out) {
        float d = LittleEndian.float16(data, block);
        for (int j = 0; j < BLOCK; j++) {
            dst[out + j] = data.get(ValueLayout.JAVA_BYTE, block + 2 + j) * d;
        }
    }

    @Override
    float dotBlock(MemorySegment data, long block, float[] x, int in, float sum) {
        // Summing q*x first and scaling once per block is how ggml's kernels order the arithmetic.
        float blockSum = 0f;
        for (int j = 0; j < BLOCK; j++) {
            blockSum += data.get(ValueLayout.JAVA_BYTE, block + 2 + j) * x[in + j];
        }
        return sum + blockSum * LittleEndian.float16(data, block);
    }

    @Override
    BlockQuantizer newQuantizer() {
        return Q8_0Format::quantizeBlock;
    }

    private static void quantizeBlock(float[] src, int in, MemorySegment dst, long block) {
        float amax = 0f;
        for (int j = 0; j < BLOCK; j++) {
            amax = Math.max(amax, Math.abs(src[in + j]));
        }
        float d = amax / 127f;
        // ggml divides by the unrounded scale and only stores it as binary16; matching that keeps files identical.
        float id = d != 0f ? 1f / d : 0f;
        LittleEndian.setFloat16(dst, block, d);
        for (int j = 0; j < BLOCK; j++) {
            dst.set(ValueLayout.JAVA_BYTE, block + 2 + j, (byte) roundHalfAway(src[in + j] * id));
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
