package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q6_K: super-blocks of 256 elements in sixteen sub-blocks of 16, element value {@code d * sc[s] * (q - 32)}
 * with 6-bit levels {@code q}, signed 8-bit sub-block scales {@code sc} and one binary16 {@code d}. Layout: 128
 * bytes {@code ql} of low nibbles, 64 bytes {@code qh} of top bit pairs, 16 bytes {@code sc}, then {@code d};
 * 210 bytes. Each half {@code h} of 128 elements uses {@code ql[64h..64h+63]} and {@code qh[32h..32h+31]}: its
 * element {@code 32k + l} (k = 0..3, l = 0..31) has its low nibble in {@code ql[64h + l + 32(k & 1)]} (low nibble
 * for k < 2, high for k >= 2) and its top two bits at bit {@code 2k} of {@code qh[32h + l]}.
 */
public final class Q6_KFormat extends BlockwiseFormat implements LeveledFormat {
    public static final Q6_KFormat INSTANCE = new Q6_KFormat();

    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 210;
    private static final int SUB = 16;
    private static final int SUBS = BLOCK / SUB;
    private static final int QH = BLOCK / 2;
    private static final int SCALES = QH + BLOCK / 4;
    private static final int D = SCALES + SUBS;
    /** ggml's {@code GROUP_MAX_EPS}: sub-blocks (and super-blocks) whose largest magnitude is below it are zero. */
    private static final float EPS = 1e-15f;

    private Q6_KFormat() {
        super(BLOCK, BLOCK_BYTES);
    }

    @Override
    void dequantizeBlock(MemorySegment data, long block, float[] dst, int out) {
        float d = LittleEndian.float16(data, block + D);
        for (int i = 0; i < BLOCK; i++) {
            // ggml multiplies d by the scale first, then by the level.
            dst[out + i] = d * scale(data, block, i / SUB) * (level(data, block, i) - 32);
        }
    }

    @Override
    public int subBlockSize() {
        return SUB;
    }

    @Override
    public int minLevel() {
        return -32;
    }

    @Override
    public int maxLevel() {
        return 31;
    }

    /** Signed levels {@code q - 32} and offsets 0: {@code (d sc) (q - 32)} is how {@link #dequantize} computes. */
    @Override
    public void levels(MemorySegment data, long offset, int[] levels, float[] scales, float[] offsets) {
        float d = LittleEndian.float16(data, offset + D);
        for (int s = 0; s < SUBS; s++) {
            scales[s] = d * scale(data, offset, s);
            offsets[s] = 0f;
        }
        for (int i = 0; i < BLOCK; i++) {
            levels[i] = level(data, offset, i) - 32;
        }
    }

    @Override
    float dotBlock(MemorySegment data, long block, float[] x, int in, float sum) {
        float d = LittleEndian.float16(data, block + D);
        for (int i = 0; i < BLOCK; i++) {
            sum += (d * scale(data, block, i / SUB) * (level(data, block, i) - 32)) * x[in + i];
        }
        return sum;
    }

    private static int scale(MemorySegment data, long block, int s) {
        return data.get(ValueLayout.JAVA_BYTE, block + SCALES + s);
    }

    /** Level (0..63) of element {@code i} of the super-block. */
    private static int level(MemorySegment data, long block, int i) {
        int h = i >> 7;
        int k = (i >> 5) & 3;
        int l = i & 31;
        int low = (data.get(ValueLayout.JAVA_BYTE, block + 64 * h + l + 32 * (k & 1)) >> (4 * (k >> 1))) & 0x0F;
        int high = (data.get(ValueLayout.JAVA_BYTE, block + QH + 32 * h + l) >> (2 * k)) & 3;
        return low | (high << 4);
    }

    @Override
    BlockQuantizer newQuantizer() {
        byte[] levels = new byte[BLOCK];
        float[] scales = new float[SUBS];
        return (src, in, dst, block) -> quantizeBlock(src, in, dst, block, levels, scales);
    }

    /**
     * Follows ggml's {@code quantize_row_q6_K_ref}: a scale per sub-block from {@link #fitScale}, the scales
     * quantized to 8 bits against the largest in magnitude, then every element re-rounded against the stored
     * scale. {@code levels} and {@code scales} are scratch.
     */
    private static void quantizeBlock(float[] src, int in, MemorySegment dst, long block, byte[] levels,
            float[] scales) {
        float maxScale = 0f;
        float maxAbsScale = 0f;
        for (int s = 0; s < SUBS; s++) {
            scales[s] = fitScale(src, in + s * SUB, levels, s * SUB);
            if (Math.abs(scales[s]) > maxAbsScale) {
                maxAbsScale = Math.abs(scales[s]);
                maxScale = scales[s];
            }
        }
        if (maxAbsScale < EPS) {
            dst.asSlice(block, BLOCK_BYTES).fill((byte) 0);
            return;
        }
        float iscale = -128f / maxScale;
        LittleEndian.setFloat16(dst, block + D, 1 / iscale);
        for (int s = 0; s < SUBS; s++) {
            dst.set(ValueLayout.JAVA_BYTE, block + SCALES + s,
                    (byte) Math.min(127, Rounding.nearestInt(iscale * scales[s])));
        }
        float d = LittleEndian.float16(dst, block + D);
        for (int s = 0; s < SUBS; s++) {
            float ds = d * scale(dst, block, s);
            if (ds == 0f) {
                continue; // ggml keeps the levels of the scale search here; they decode to 0 anyway
            }
            for (int l = 0; l < SUB; l++) {
                int level = Rounding.nearestInt(src[in + s * SUB + l] / ds);
                levels[s * SUB + l] = (byte) (Math.max(-32, Math.min(31, level)) + 32);
            }
        }
        putLevels(levels, dst, block);
    }

    private static void putLevels(byte[] levels, MemorySegment dst, long block) {
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int high = 0;
                for (int k = 0; k < 4; k++) {
                    high |= (levels[128 * h + 32 * k + l] >> 4) << (2 * k);
                }
                dst.set(ValueLayout.JAVA_BYTE, block + QH + 32 * h + l, (byte) high);
                for (int k = 0; k < 2; k++) {
                    int lo = levels[128 * h + 32 * k + l] & 0x0F;
                    int hi = levels[128 * h + 32 * (k + 2) + l] & 0x0F;
                    dst.set(ValueLayout.JAVA_BYTE, block + 64 * h + 32 * k + l, (byte) (lo | (hi << 4)));
                }
            }
        }
    }

    /**
     * ggml's {@code make_qx_quants} as Q6_K calls it (32 levels each side, weights x^2): starting from the scale
     * that maps the signed extreme to level -32, tries 18 nearby scales and keeps the one with the smallest
     * weighted squared error. Stores levels (0..63) in {@code levels[lOff..]} and returns the scale, whose sign is
     * opposite to the extreme's. Every float operation is in ggml's order, since the comparisons decide the bytes.
     */
    private static float fitScale(float[] x, int at, byte[] levels, int lOff) {
        final int nmax = 32;
        float max = BlockExtremes.largestMagnitude(x, at, SUB);
        if (Math.abs(max) < EPS) {
            for (int i = 0; i < SUB; i++) {
                levels[lOff + i] = 0;
            }
            return 0f;
        }
        float iscale = -nmax / max;
        float sumLX = 0f;
        float sumL2 = 0f;
        for (int i = 0; i < SUB; i++) {
            int l = Math.max(-nmax, Math.min(nmax - 1, Rounding.nearestInt(iscale * x[at + i])));
            levels[lOff + i] = (byte) (l + nmax);
            float w = x[at + i] * x[at + i];
            sumLX += w * x[at + i] * l;
            sumL2 += w * l * l;
        }
        float scale = sumL2 != 0 ? sumLX / sumL2 : 0f;
        float best = scale * sumLX;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) {
                continue;
            }
            iscale = -(nmax + 0.1f * is) / max;
            sumLX = 0f;
            sumL2 = 0f;
            for (int i = 0; i < SUB; i++) {
                int l = Math.max(-nmax, Math.min(nmax - 1, Rounding.nearestInt(iscale * x[at + i])));
                float w = x[at + i] * x[at + i];
                sumLX += w * x[at + i] * l;
                sumL2 += w * l * l;
            }
            if (sumL2 > 0 && sumLX * sumLX > best * sumL2) {
                for (int i = 0; i < SUB; i++) {
                    int l = Math.max(-nmax, Math.min(nmax - 1, Rounding.nearestInt(iscale * x[at + i])));
                    levels[lOff + i] = (byte) (l + nmax);
                }
                scale = sumLX / sumL2;
                best = scale * sumLX;
            }
        }
        return scale;
    }
}
