package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The header of the Q4_K and Q5_K super-blocks ({@link ScaleMinFormat}), and their quantizer: super-blocks of 256
 * elements in eight sub-blocks of 32, element value {@code d * sc[s] * q - dmin * m[s]}. Each super-block starts
 * with binary16 {@code d} and {@code dmin}, then 12 bytes packing the eight 6-bit scales {@code sc} and mins
 * {@code m}: for {@code s < 4} they are the low six bits of bytes {@code s} and {@code s + 4}; for {@code s >= 4}
 * their low four bits are the low and high nibble of byte {@code s + 4}, and their top two bits are the top bits
 * of bytes {@code s - 4} and {@code s}. The levels follow.
 *
 * <p>Quantization follows ggml's reference quantizer ({@code quantize_row_q4_K_ref}/{@code q5_K_ref}): a weighted
 * least-squares search for each sub-block's scale and min, then both quantized to 6 bits against the largest, then
 * every element re-rounded against the stored values. An instance holds scratch space: one per quantize call.
 */
final class ScaleMinSuperBlock {
    static final int ELEMENTS = 256;
    static final int SUB = 32;
    static final int SUBS = ELEMENTS / SUB;
    static final int HEADER_BYTES = 4 + 12;
    private static final int SCALES = 4;

    private final int nmax;
    private final float rmin;
    private final int nstep;
    private final float[] weights = new float[SUB];
    private final byte[] trial = new byte[SUB];
    private final float[] scales = new float[SUBS];
    private final float[] mins = new float[SUBS];
    private final int[] scaleLevels = new int[SUBS];
    private final int[] minLevels = new int[SUBS];

    /**
     * @param nmax  the top level (15 for 4 bits, 31 for 5)
     * @param rmin  where ggml's scale search starts, relative to {@code nmax}; it steps by 0.1 {@code nstep} times
     */
    ScaleMinSuperBlock(int nmax, float rmin, int nstep) {
        this.nmax = nmax;
        this.rmin = rmin;
        this.nstep = nstep;
    }

    static float d(MemorySegment data, long block) {
        return LittleEndian.float16(data, block);
    }

    static float dmin(MemorySegment data, long block) {
        return LittleEndian.float16(data, block + 2);
    }

    /** The 6-bit scale of sub-block {@code s} (ggml's {@code get_scale_min_k4}, first half). */
    static int scale(MemorySegment data, long block, int s) {
        long q = block + SCALES;
        if (s < 4) {
            return u8(data, q + s) & 63;
        }
        return (u8(data, q + s + 4) & 0x0F) | ((u8(data, q + s - 4) >> 6) << 4);
    }

    /** The 6-bit min of sub-block {@code s} (ggml's {@code get_scale_min_k4}, second half). */
    static int min(MemorySegment data, long block, int s) {
        long q = block + SCALES;
        if (s < 4) {
            return u8(data, q + s + 4) & 63;
        }
        return (u8(data, q + s + 4) >> 4) | ((u8(data, q + s) >> 6) << 4);
    }

    private static int u8(MemorySegment data, long at) {
        return data.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    /**
     * Writes {@code d}, {@code dmin} and the packed scales of the super-block for {@code x[in..in+256)} at
     * {@code block}, and puts each element's level (0..nmax) in {@code levels[0..256)}.
     */
    void quantize(float[] x, int in, MemorySegment dst, long block, byte[] levels) {
        float maxScale = 0f;
        float maxMin = 0f;
        for (int s = 0; s < SUBS; s++) {
            int at = in + s * SUB;
            float sumX2 = 0f;
            for (int l = 0; l < SUB; l++) {
                sumX2 += x[at + l] * x[at + l];
            }
            // Weighting by |x| plus the RMS favours getting the large elements right.
            float avX = (float) Math.sqrt(sumX2 / SUB);
            for (int l = 0; l < SUB; l++) {
                weights[l] = avX + Math.abs(x[at + l]);
            }
            scales[s] = fitScaleAndMin(x, at, levels, s * SUB, s);
            if (scales[s] > maxScale) {
                maxScale = scales[s];
            }
            if (mins[s] > maxMin) {
                maxMin = mins[s];
            }
        }
        float invScale = maxScale > 0 ? 63f / maxScale : 0f;
        float invMin = maxMin > 0 ? 63f / maxMin : 0f;
        for (int s = 0; s < SUBS; s++) {
            // ggml stores the rounded value in a uint8_t before clamping; the mask reproduces that.
            scaleLevels[s] = Math.min(63, Rounding.nearestInt(invScale * scales[s]) & 0xFF);
            minLevels[s] = Math.min(63, Rounding.nearestInt(invMin * mins[s]) & 0xFF);
        }
        putScales(dst, block);
        LittleEndian.setFloat16(dst, block, maxScale / 63f);
        LittleEndian.setFloat16(dst, block + 2, maxMin / 63f);
        float d = d(dst, block);
        float dmin = dmin(dst, block);
        for (int s = 0; s < SUBS; s++) {
            float ds = d * scaleLevels[s];
            if (ds == 0f) {
                continue; // ggml keeps the search's levels here; they all decode to -dm anyway
            }
            float dm = dmin * minLevels[s];
            for (int l = 0; l < SUB; l++) {
                int level = Rounding.nearestInt((x[in + s * SUB + l] + dm) / ds);
                levels[s * SUB + l] = (byte) Math.max(0, Math.min(nmax, level));
            }
        }
    }

    private void putScales(MemorySegment dst, long block) {
        long q = block + SCALES;
        for (int s = 0; s < 4; s++) {
            dst.set(ValueLayout.JAVA_BYTE, q + s, (byte) (scaleLevels[s] | ((scaleLevels[s + 4] >> 4) << 6)));
            dst.set(ValueLayout.JAVA_BYTE, q + s + 4, (byte) (minLevels[s] | ((minLevels[s + 4] >> 4) << 6)));
            dst.set(ValueLayout.JAVA_BYTE, q + s + 8,
                    (byte) ((scaleLevels[s + 4] & 0x0F) | ((minLevels[s + 4] & 0x0F) << 4)));
        }
    }

    /**
     * ggml's {@code make_qkx2_quants} for one sub-block: fits {@code x ~ scale * l + min} (min <= 0) minimising
     * the weighted squared error over a range of trial scales; returns the scale, stores {@code -min} in
     * {@code mins[s]} and the levels in {@code levels[lOff..]}. Every float operation is in ggml's order, since the
     * comparisons between trial errors decide the bytes.
     */
    private float fitScaleAndMin(float[] x, int at, byte[] levels, int lOff, int s) {
        float min = x[at];
        float max = x[at];
        float sumW = weights[0];
        float sumX = sumW * x[at];
        for (int i = 1; i < SUB; i++) {
            if (x[at + i] < min) {
                min = x[at + i];
            }
            if (x[at + i] > max) {
                max = x[at + i];
            }
            float w = weights[i];
            sumW += w;
            sumX += w * x[at + i];
        }
        if (min > 0) {
            min = 0;
        }
        if (max == min) {
            for (int i = 0; i < SUB; i++) {
                levels[lOff + i] = 0;
            }
            mins[s] = -min;
            return 0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0f;
        for (int i = 0; i < SUB; i++) {
            int l = Math.max(0, Math.min(nmax, Rounding.nearestInt(iscale * (x[at + i] - min))));
            levels[lOff + i] = (byte) l;
            float diff = scale * l + min - x[at + i];
            bestError += weights[i] * (diff * diff);
        }
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + 0.1f * is + nmax) / (max - min);
            float sumL = 0f;
            float sumL2 = 0f;
            float sumXL = 0f;
            for (int i = 0; i < SUB; i++) {
                int l = Math.max(0, Math.min(nmax, Rounding.nearestInt(iscale * (x[at + i] - min))));
                trial[i] = (byte) l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[at + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float error = 0f;
                for (int i = 0; i < SUB; i++) {
                    float diff = thisScale * trial[i] + thisMin - x[at + i];
                    error += weights[i] * (diff * diff);
                }
                if (error < bestError) {
                    System.arraycopy(trial, 0, levels, lOff, SUB);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        mins[s] = -min;
        return scale;
    }
}
