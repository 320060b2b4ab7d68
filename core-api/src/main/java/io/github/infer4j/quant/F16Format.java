package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/** IEEE binary16, two little-endian bytes per element; conversion rounds to nearest even like ggml's F16C path. */
public final class F16Format implements BlockFormat {
    public static final F16Format INSTANCE = new F16Format();

    private F16Format() {
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = LittleEndian.float16(data, offset + 2L * i);
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOff, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += LittleEndian.float16(data, offset + 2L * i) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset) {
        for (int i = 0; i < n; i++) {
            LittleEndian.setFloat16(dst, offset + 2L * i, src[srcOff + i]);
        }
    }
}
