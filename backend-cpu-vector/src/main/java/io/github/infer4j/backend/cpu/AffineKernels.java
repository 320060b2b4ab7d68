package io.github.infer4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static io.github.infer4j.backend.cpu.Layouts.ORDER;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

/**
 * Products of {@link PackedMatrix} rows in the {@link PackedLayout#AFFINE_4} layout (Q4_1, Q4_K) and the
 * {@link PackedLayout#AFFINE_5} layout (Q5_0, Q5_1, Q5_K) with {@link QuantizedActivations} rows: weights
 * {@code scale * q + offset} per block of 32 with unsigned levels {@code q}, as in {@link QuantKernels}' Q4_0 product
 * otherwise. A block contributes {@code dx * (scale * sum(q * xq) + offset * sum(xq))}: the integer sum is taken
 * in 16-bit lanes and scaled once, and the offset multiplies the activations' block sum
 * ({@link QuantizedActivations#blockSums()}).
 *
 * <p>16-bit lanes hold 4-bit products over a whole block (16 * 15 * 127 = 30480) but 5-bit ones only over half of
 * it (8 * 31 * 127 = 31496), so the 5-bit kernels widen each half to 32 bits separately. A level's fifth bit comes
 * from one int per block, shifted to bit 4 of each 16-bit lane and or-ed onto the nibble.
 *
 * <p>Written flat for C2 like {@link QuantKernels} (see there): tiles take {@value QuantKernels#TILE} activation
 * rows per weight row and loop over the runs or halves of a group, each turn a flat body.
 */
final class AffineKernels {
    /** The low nibble of each 16-bit lane, as an int pattern. */
    private static final int NIBBLES = 0x000F000F;
    /** Bit 4 of each 16-bit lane: where a level's fifth bit goes. */
    private static final int FIFTH = 0x00100010;

    private AffineKernels() {
    }

    /**
     * {@code out[outOff + r] = w[r] . x} for weight rows {@code r} in {@code [first, end)} of an
     * {@link PackedLayout#AFFINE_4} matrix and the activation row whose levels start at {@code xq[xqOff]} and whose
     * scales and block sums start at {@code xsOff}.
     */
    static void dot4(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                    short[] xq, int xqOff, float[] xs, float[] xsums, int xsOff, float[] out, int outOff) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        long run = 4L * lanes;
        long groupBytes = 24L * lanes;
        for (int r = first; r < end; r++) {
            MemorySegment row = w.asSlice(r * rowBytes, rowBytes);
            FloatVector acc = FloatVector.zero(fs);
            for (int g = 0; g < groups; g++) {
                long at = g * groupBytes;
                int x = xqOff + g * 16 * pair;
                IntVector r0 = IntVector.fromMemorySegment(is, row, at, ORDER);
                IntVector r1 = IntVector.fromMemorySegment(is, row, at + run, ORDER);
                IntVector r2 = IntVector.fromMemorySegment(is, row, at + 2 * run, ORDER);
                IntVector r3 = IntVector.fromMemorySegment(is, row, at + 3 * run, ORDER);
                ShortVector n;
                ShortVector low;
                ShortVector high;
                n = r0.and(NIBBLES).reinterpretAsShorts();
                low = n.mul(ShortVector.fromArray(ss, xq, x));
                n = r0.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + pair)));
                n = r0.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 2 * pair)));
                n = r0.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 3 * pair)));
                n = r1.and(NIBBLES).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 4 * pair)));
                n = r1.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 5 * pair)));
                n = r1.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 6 * pair)));
                n = r1.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 7 * pair)));
                n = r2.and(NIBBLES).reinterpretAsShorts();
                high = n.mul(ShortVector.fromArray(ss, xq, x + 8 * pair));
                n = r2.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 9 * pair)));
                n = r2.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 10 * pair)));
                n = r2.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 11 * pair)));
                n = r3.and(NIBBLES).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 12 * pair)));
                n = r3.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 13 * pair)));
                n = r3.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 14 * pair)));
                n = r3.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 15 * pair)));
                int b = xsOff + g * lanes;
                IntVector pairs = low.add(high).reinterpretAsInts();
                acc = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                        .convert(I2F, 0)).mul(FloatVector.fromMemorySegment(fs, row, at + 16L * lanes, ORDER))
                        .fma(FloatVector.fromArray(fs, xs, b), acc);
                acc = FloatVector.fromMemorySegment(fs, row, at + 20L * lanes, ORDER)
                        .fma(FloatVector.fromArray(fs, xsums, b), acc);
            }
            out[outOff + r] = acc.reduceLanes(ADD);
        }
    }

    /**
     * {@link #dot4} for {@value QuantKernels#TILE} activation rows at once, in the one loop over units of
     * {@link QuantKernels#tileQ4}: one tile of {@link QuantizedActivations} from {@code xqOff} and {@code xsOff};
     * row {@code k}'s products go to {@code out[outOff + k * outStride + r]}.
     */
    static void tile4(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                      short[] xq, int xqOff, float[] xs, float[] xsums, int xsOff,
                      float[] out, int outOff, int outStride) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        int run = 4 * lanes;
        int groupBytes = 24 * lanes;
        int units = 4 * groups;
        for (int r = first; r < end; r++) {
            MemorySegment row = w.asSlice(r * rowBytes, rowBytes);
            FloatVector acc0 = FloatVector.zero(fs);
            FloatVector acc1 = FloatVector.zero(fs);
            FloatVector acc2 = FloatVector.zero(fs);
            FloatVector acc3 = FloatVector.zero(fs);
            ShortVector s0 = ShortVector.zero(ss);
            ShortVector s1 = ShortVector.zero(ss);
            ShortVector s2 = ShortVector.zero(ss);
            ShortVector s3 = ShortVector.zero(ss);
            for (int u = 0; u < units; u++) {
                int g = u >> 2;
                int at = g * groupBytes;
                IntVector q = IntVector.fromMemorySegment(is, row, at + (u & 3) * run, ORDER);
                int x = xqOff + u * 16 * pair;
                ShortVector n = q.and(NIBBLES).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 4 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 8 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 12 * pair)));
                n = q.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 5 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 9 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 13 * pair)));
                n = q.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 2 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 6 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 10 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 14 * pair)));
                n = q.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 3 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 7 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 11 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 15 * pair)));
                if ((u & 3) == 3) {
                    int b = xsOff + g * 4 * lanes;
                    FloatVector scale = FloatVector.fromMemorySegment(fs, row, at + 16 * lanes, ORDER);
                    FloatVector offset = FloatVector.fromMemorySegment(fs, row, at + 20 * lanes, ORDER);
                    IntVector pairs = s0.reinterpretAsInts();
                    acc0 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                            .convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b), acc0);
                    acc0 = offset.fma(FloatVector.fromArray(fs, xsums, b), acc0);
                    pairs = s1.reinterpretAsInts();
                    acc1 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                            .convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b + lanes), acc1);
                    acc1 = offset.fma(FloatVector.fromArray(fs, xsums, b + lanes), acc1);
                    pairs = s2.reinterpretAsInts();
                    acc2 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                            .convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b + 2 * lanes), acc2);
                    acc2 = offset.fma(FloatVector.fromArray(fs, xsums, b + 2 * lanes), acc2);
                    pairs = s3.reinterpretAsInts();
                    acc3 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                            .convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b + 3 * lanes), acc3);
                    acc3 = offset.fma(FloatVector.fromArray(fs, xsums, b + 3 * lanes), acc3);
                    s0 = ShortVector.zero(ss);
                    s1 = ShortVector.zero(ss);
                    s2 = ShortVector.zero(ss);
                    s3 = ShortVector.zero(ss);
                }
            }
            out[outOff + r] = acc0.reduceLanes(ADD);
            out[outOff + outStride + r] = acc1.reduceLanes(ADD);
            out[outOff + 2 * outStride + r] = acc2.reduceLanes(ADD);
            out[outOff + 3 * outStride + r] = acc3.reduceLanes(ADD);
        }
    }

    /** {@link #dot4} for an {@link PackedLayout#AFFINE_5} matrix. */
    static void dot5(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                    short[] xq, int xqOff, float[] xs, float[] xsums, int xsOff, float[] out, int outOff) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        long run = 4L * lanes;
        long groupBytes = 28L * lanes;
        for (int r = first; r < end; r++) {
            MemorySegment row = w.asSlice(r * rowBytes, rowBytes);
            FloatVector acc = FloatVector.zero(fs);
            for (int g = 0; g < groups; g++) {
                long at = g * groupBytes;
                int x = xqOff + g * 16 * pair;
                IntVector r0 = IntVector.fromMemorySegment(is, row, at, ORDER);
                IntVector r1 = IntVector.fromMemorySegment(is, row, at + run, ORDER);
                IntVector r2 = IntVector.fromMemorySegment(is, row, at + 2 * run, ORDER);
                IntVector r3 = IntVector.fromMemorySegment(is, row, at + 3 * run, ORDER);
                IntVector hb = IntVector.fromMemorySegment(is, row, at + 16L * lanes, ORDER);
                ShortVector n;
                ShortVector low;
                ShortVector high;
                n = r0.and(NIBBLES).or(hb.lanewise(LSHL, 4).and(FIFTH)).reinterpretAsShorts();
                low = n.mul(ShortVector.fromArray(ss, xq, x));
                n = r0.lanewise(LSHR, 4).and(NIBBLES).or(hb.lanewise(LSHL, 3).and(FIFTH)).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + pair)));
                n = r0.lanewise(LSHR, 8).and(NIBBLES).or(hb.lanewise(LSHL, 2).and(FIFTH)).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 2 * pair)));
                n = r0.lanewise(LSHR, 12).and(NIBBLES).or(hb.lanewise(LSHL, 1).and(FIFTH)).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 3 * pair)));
                n = r1.and(NIBBLES).or(hb.and(FIFTH)).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 4 * pair)));
                n = r1.lanewise(LSHR, 4).and(NIBBLES).or(hb.lanewise(LSHR, 1).and(FIFTH)).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 5 * pair)));
                n = r1.lanewise(LSHR, 8).and(NIBBLES).or(hb.lanewise(LSHR, 2).and(FIFTH)).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 6 * pair)));
                n = r1.lanewise(LSHR, 12).and(NIBBLES).or(hb.lanewise(LSHR, 3).and(FIFTH)).reinterpretAsShorts();
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 7 * pair)));
                n = r2.and(NIBBLES).or(hb.lanewise(LSHR, 4).and(FIFTH)).reinterpretAsShorts();
                high = n.mul(ShortVector.fromArray(ss, xq, x + 8 * pair));
                n = r2.lanewise(LSHR, 4).and(NIBBLES).or(hb.lanewise(LSHR, 5).and(FIFTH)).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 9 * pair)));
                n = r2.lanewise(LSHR, 8).and(NIBBLES).or(hb.lanewise(LSHR, 6).and(FIFTH)).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 10 * pair)));
                n = r2.lanewise(LSHR, 12).and(NIBBLES).or(hb.lanewise(LSHR, 7).and(FIFTH)).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 11 * pair)));
                n = r3.and(NIBBLES).or(hb.lanewise(LSHR, 8).and(FIFTH)).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 12 * pair)));
                n = r3.lanewise(LSHR, 4).and(NIBBLES).or(hb.lanewise(LSHR, 9).and(FIFTH)).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 13 * pair)));
                n = r3.lanewise(LSHR, 8).and(NIBBLES).or(hb.lanewise(LSHR, 10).and(FIFTH)).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 14 * pair)));
                n = r3.lanewise(LSHR, 12).and(NIBBLES).or(hb.lanewise(LSHR, 11).and(FIFTH)).reinterpretAsShorts();
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 15 * pair)));
                int b = xsOff + g * lanes;
                IntVector lows = low.reinterpretAsInts();
                IntVector highs = high.reinterpretAsInts();
                acc = ((FloatVector) lows.lanewise(LSHL, 16).lanewise(ASHR, 16).add(lows.lanewise(ASHR, 16))
                        .add(highs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(highs.lanewise(ASHR, 16)))
                        .convert(I2F, 0)).mul(FloatVector.fromMemorySegment(fs, row, at + 20L * lanes, ORDER))
                        .fma(FloatVector.fromArray(fs, xs, b), acc);
                acc = FloatVector.fromMemorySegment(fs, row, at + 24L * lanes, ORDER)
                        .fma(FloatVector.fromArray(fs, xsums, b), acc);
            }
            out[outOff + r] = acc.reduceLanes(ADD);
        }
    }

    /** {@link #tile4} for an {@link PackedLayout#AFFINE_5} matrix. */
    static void tile5(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                      short[] xq, int xqOff, float[] xs, float[] xsums, int xsOff,
                      float[] out, int outOff, int outStride) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        int run = 4 * lanes;
        int groupBytes = 28 * lanes;
        for (int r = first; r < end; r++) {
            MemorySegment row = w.asSlice(r * rowBytes, rowBytes);
            FloatVector acc0 = FloatVector.zero(fs);
            FloatVector acc1 = FloatVector.zero(fs);
            FloatVector acc2 = FloatVector.zero(fs);
            FloatVector acc3 = FloatVector.zero(fs);
            for (int h = 0; h < 2 * groups; h++) {
                int g = h >> 1;
                int half = h & 1;
                int at = g * groupBytes;
                int x = xqOff + h * 32 * pair;
                int b = xsOff + g * 4 * lanes;
                // The fifth bits of a half: byte 'half' of each lane of the group's plane.
                IntVector hb = IntVector.fromMemorySegment(is, row, at + 16 * lanes, ORDER).lanewise(LSHR, 8 * half);
                FloatVector scale = FloatVector.fromMemorySegment(fs, row, at + 20 * lanes, ORDER);
                IntVector ra = IntVector.fromMemorySegment(is, row, at + 2 * half * run, ORDER);
                IntVector rb = IntVector.fromMemorySegment(is, row, at + (2 * half + 1) * run, ORDER);
                ShortVector n;
                IntVector pairs;
                ShortVector s0 = ShortVector.zero(ss);
                ShortVector s1 = ShortVector.zero(ss);
                ShortVector s2 = ShortVector.zero(ss);
                ShortVector s3 = ShortVector.zero(ss);
                n = ra.and(NIBBLES).or(hb.lanewise(LSHL, 4).and(FIFTH)).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 4 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 8 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 12 * pair)));
                n = ra.lanewise(LSHR, 4).and(NIBBLES).or(hb.lanewise(LSHL, 3).and(FIFTH)).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 5 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 9 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 13 * pair)));
                n = ra.lanewise(LSHR, 8).and(NIBBLES).or(hb.lanewise(LSHL, 2).and(FIFTH)).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 2 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 6 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 10 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 14 * pair)));
                n = ra.lanewise(LSHR, 12).and(NIBBLES).or(hb.lanewise(LSHL, 1).and(FIFTH)).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 3 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 7 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 11 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 15 * pair)));
                n = rb.and(NIBBLES).or(hb.and(FIFTH)).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 16 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 20 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 24 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 28 * pair)));
                n = rb.lanewise(LSHR, 4).and(NIBBLES).or(hb.lanewise(LSHR, 1).and(FIFTH)).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 17 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 21 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 25 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 29 * pair)));
                n = rb.lanewise(LSHR, 8).and(NIBBLES).or(hb.lanewise(LSHR, 2).and(FIFTH)).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 18 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 22 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 26 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 30 * pair)));
                n = rb.lanewise(LSHR, 12).and(NIBBLES).or(hb.lanewise(LSHR, 3).and(FIFTH)).reinterpretAsShorts();
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 19 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 23 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 27 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 31 * pair)));
                pairs = s0.reinterpretAsInts();
                acc0 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                        .convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b), acc0);
                pairs = s1.reinterpretAsInts();
                acc1 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                        .convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b + lanes), acc1);
                pairs = s2.reinterpretAsInts();
                acc2 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                        .convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b + 2 * lanes), acc2);
                pairs = s3.reinterpretAsInts();
                acc3 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                        .convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b + 3 * lanes), acc3);
                if (half == 1) {
                    FloatVector offset = FloatVector.fromMemorySegment(fs, row, at + 24 * lanes, ORDER);
                    acc0 = offset.fma(FloatVector.fromArray(fs, xsums, b), acc0);
                    acc1 = offset.fma(FloatVector.fromArray(fs, xsums, b + lanes), acc1);
                    acc2 = offset.fma(FloatVector.fromArray(fs, xsums, b + 2 * lanes), acc2);
                    acc3 = offset.fma(FloatVector.fromArray(fs, xsums, b + 3 * lanes), acc3);
                }
            }
            out[outOff + r] = acc0.reduceLanes(ADD);
            out[outOff + outStride + r] = acc1.reduceLanes(ADD);
            out[outOff + 2 * outStride + r] = acc2.reduceLanes(ADD);
            out[outOff + 3 * outStride + r] = acc3.reduceLanes(ADD);
        }
    }
}
