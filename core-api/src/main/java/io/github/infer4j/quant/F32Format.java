package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/** IEEE binary32, four little-endian bytes per element. */
public final class F32Format implements BlockFormat {
    public static final F32Format INSTANCE = new F32Format();

    private F32Format() {
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = data.get(LittleEndian.FLOAT, offset + 4L * i);
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOff, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += data.get(LittleEndian.FLOAT, offset + 4L * i) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset) {
        for (int i = 0; i < n; i++) {
            dst.set(LittleEndian.FLOAT, offset + 4L * i, src[srcOff + i]);
        }
    }
}
