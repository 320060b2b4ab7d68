package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q4_K: super-blocks of 256 elements with the {@link ScaleMinSuperBlock} header (binary16 {@code d} and
 * {@code dmin}, 12 bytes of 6-bit scales and mins), then 128 bytes of 4-bit levels: the 64 elements from
 * {@code 64c} use bytes {@code 32c..32c+31}, the first 32 in the low nibbles and the next 32 in the high ones.
 * Element value is {@code d * sc[s] * q - dmin * m[s]} for sub-block {@code s} (32 elements). 144 bytes.
 */
public final class Q4_KFormat implements BlockFormat {
    public static final Q4_KFormat INSTANCE = new Q4_KFormat();

    static final int BLOCK = ScaleMinSuperBlock.ELEMENTS;
    static final int BLOCK_BYTES = ScaleMinSuperBlock.HEADER_BYTES + BLOCK / 2;
    private static final int SUB = ScaleMinSuperBlock.SUB;
    private static final int QS = ScaleMinSuperBlock.HEADER_BYTES;

    private Q4_KFormat() {
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = ScaleMinSuperBlock.d(data, block);
            float dmin = ScaleMinSuperBlock.dmin(data, block);
            for (int s = 0; s < ScaleMinSuperBlock.SUBS; s++) {
                float ds = d * ScaleMinSuperBlock.scale(data, block, s);
                float ms = dmin * ScaleMinSuperBlock.min(data, block, s);
                int out = dstOff + b * BLOCK + s * SUB;
                for (int l = 0; l < SUB; l++) {
                    dst[out + l] = ds * level(data, block, s, l) - ms;
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOff, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = ScaleMinSuperBlock.d(data, block);
            float dmin = ScaleMinSuperBlock.dmin(data, block);
            for (int s = 0; s < ScaleMinSuperBlock.SUBS; s++) {
                float ds = d * ScaleMinSuperBlock.scale(data, block, s);
                float ms = dmin * ScaleMinSuperBlock.min(data, block, s);
                int in = xOff + b * BLOCK + s * SUB;
                for (int l = 0; l < SUB; l++) {
                    sum += (ds * level(data, block, s, l) - ms) * x[in + l];
                }
            }
        }
        return sum;
    }

    /** Level (0..15) of element {@code l} of sub-block {@code s}: odd sub-blocks sit in the high nibbles. */
    private static int level(MemorySegment data, long block, int s, int l) {
        int packed = data.get(ValueLayout.JAVA_BYTE, block + QS + (s >> 1) * SUB + l);
        return (packed >> ((s & 1) * 4)) & 0x0F;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset) {
        ScaleMinSuperBlock quantizer = new ScaleMinSuperBlock(15, -1f, 20);
        byte[] levels = new byte[BLOCK];
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            quantizer.quantize(src, srcOff + b * BLOCK, dst, block, levels);
            for (int c = 0; c < BLOCK / (2 * SUB); c++) {
                for (int l = 0; l < SUB; l++) {
                    int lo = levels[2 * c * SUB + l];
                    int hi = levels[(2 * c + 1) * SUB + l];
                    dst.set(ValueLayout.JAVA_BYTE, block + QS + c * SUB + l, (byte) (lo | (hi << 4)));
                }
            }
        }
    }
}
