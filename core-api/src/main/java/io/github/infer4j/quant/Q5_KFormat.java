package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q5_K: super-blocks of 256 elements with the {@link ScaleMinSuperBlock} header (binary16 {@code d} and
 * {@code dmin}, 12 bytes of 6-bit scales and mins), then 32 bytes {@code qh} of fifth bits, then 128 bytes
 * {@code qs} of low nibbles. Sub-block {@code s} (32 elements) keeps its low nibbles in bytes
 * {@code qs[32*(s/2)..]} (low nibble for even {@code s}, high for odd) and its fifth bits in bit {@code s} of
 * {@code qh[0..31]}. Element value is {@code d * sc[s] * q - dmin * m[s]}. 176 bytes.
 */
public final class Q5_KFormat implements BlockFormat {
    public static final Q5_KFormat INSTANCE = new Q5_KFormat();

    static final int BLOCK = ScaleMinSuperBlock.ELEMENTS;
    static final int BLOCK_BYTES = ScaleMinSuperBlock.HEADER_BYTES + BLOCK / 8 + BLOCK / 2;
    private static final int SUB = ScaleMinSuperBlock.SUB;
    private static final int QH = ScaleMinSuperBlock.HEADER_BYTES;
    private static final int QS = QH + BLOCK / 8;

    private Q5_KFormat() {
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

    /** Level (0..31) of element {@code l} of sub-block {@code s}. */
    private static int level(MemorySegment data, long block, int s, int l) {
        int low = (data.get(ValueLayout.JAVA_BYTE, block + QS + (s >> 1) * SUB + l) >> ((s & 1) * 4)) & 0x0F;
        int high = (data.get(ValueLayout.JAVA_BYTE, block + QH + l) >> s) & 1;
        return low | (high << 4);
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset) {
        ScaleMinSuperBlock quantizer = new ScaleMinSuperBlock(31, -0.5f, 15);
        byte[] levels = new byte[BLOCK];
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            quantizer.quantize(src, srcOff + b * BLOCK, dst, block, levels);
            for (int l = 0; l < SUB; l++) {
                int high = 0;
                for (int s = 0; s < ScaleMinSuperBlock.SUBS; s++) {
                    high |= (levels[s * SUB + l] >> 4) << s;
                }
                dst.set(ValueLayout.JAVA_BYTE, block + QH + l, (byte) high);
            }
            for (int c = 0; c < BLOCK / (2 * SUB); c++) {
                for (int l = 0; l < SUB; l++) {
                    int lo = levels[2 * c * SUB + l] & 0x0F;
                    int hi = levels[(2 * c + 1) * SUB + l] & 0x0F;
                    dst.set(ValueLayout.JAVA_BYTE, block + QS + c * SUB + l, (byte) (lo | (hi << 4)));
                }
            }
        }
    }
}
