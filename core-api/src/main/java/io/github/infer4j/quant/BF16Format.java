package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/**
 * bfloat16: the upper half of a binary32, two little-endian bytes per element. Widening is exact; narrowing rounds
 * to nearest even and keeps NaNs quiet, exactly as ggml does, so files we write match llama-quantize bit for bit.
 */
public final class BF16Format implements BlockFormat {
    public static final BF16Format INSTANCE = new BF16Format();

    private BF16Format() {
    }

    /** The binary32 value of the bfloat16 {@code bits}. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Rounds {@code value} to the nearest bfloat16 (ties to even); any NaN becomes a quiet NaN of the same sign. */
    public static short fromFloat(float value) {
        int u = Float.floatToRawIntBits(value);
        if ((u & 0x7FFFFFFF) > 0x7F800000) {
            // Truncating could clear every mantissa bit and turn the NaN into an infinity; setting bit 6 keeps it NaN.
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7FFF + ((u >>> 16) & 1))) >>> 16);
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = toFloat(data.get(LittleEndian.SHORT, offset + 2L * i));
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOff, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += toFloat(data.get(LittleEndian.SHORT, offset + 2L * i)) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset) {
        for (int i = 0; i < n; i++) {
            dst.set(LittleEndian.SHORT, offset + 2L * i, fromFloat(src[srcOff + i]));
        }
    }
}
