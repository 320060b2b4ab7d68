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
 * Products of {@link PackedMatrix} rows in the {@link PackedLayout#SIX_BIT} layout (Q6_K) with
 * {@link QuantizedActivations} rows. Each block of 32 has two scales, one per 16 elements, i.e. per eight element
 * pairs, so the two halves of a group are summed apart. Levels are signed (-32..31, stored plus 32: the bias is
 * taken off in each 16-bit lane) so that a half's products stay within 16 bits: 8 * 32 * 127 = 32512. A level's top
 * two bits come from one int per block and half, shifted to bits 4 and 5 of each 16-bit lane and or-ed onto the
 * nibble.
 *
 * <p>Written flat for C2 like {@link QuantKernels} (see there); tiles take {@value QuantKernels#TILE} activation
 * rows per weight row and loop over the two halves of a group, each turn a flat body.
 */
final class SixBitKernels {
    /** The low nibble of each 16-bit lane, as an int pattern. */
    private static final int NIBBLES = 0x000F000F;
    /** Bits 4 and 5 of each 16-bit lane: where a level's top bits go. */
    private static final int TOPS = 0x00300030;
    private static final short BIAS = 32;

    private SixBitKernels() {
    }

    /**
     * {@code out[outOff + r] = w[r] . x} for weight rows {@code r} in {@code [first, end)} and the activation row
     * whose levels start at {@code xq[xqOff]} and whose scales start at {@code xsOff}.
     */
    static void dot(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                   short[] xq, int xqOff, float[] xs, int xsOff, float[] out, int outOff) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        long run = 4L * lanes;
        long groupBytes = 32L * lanes;
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
                IntVector lowTops = IntVector.fromMemorySegment(is, row, at + 16L * lanes, ORDER);
                IntVector highTops = IntVector.fromMemorySegment(is, row, at + 20L * lanes, ORDER);
                ShortVector n;
                ShortVector low;
                ShortVector high;
                n = r0.and(NIBBLES).or(lowTops.lanewise(LSHL, 4).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                low = n.mul(ShortVector.fromArray(ss, xq, x));
                n = r0.lanewise(LSHR, 4).and(NIBBLES)
                        .or(lowTops.lanewise(LSHL, 2).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + pair)));
                n = r0.lanewise(LSHR, 8).and(NIBBLES).or(lowTops.and(TOPS)).reinterpretAsShorts().sub(BIAS);
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 2 * pair)));
                n = r0.lanewise(LSHR, 12).and(NIBBLES)
                        .or(lowTops.lanewise(LSHR, 2).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 3 * pair)));
                n = r1.and(NIBBLES).or(lowTops.lanewise(LSHR, 4).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 4 * pair)));
                n = r1.lanewise(LSHR, 4).and(NIBBLES)
                        .or(lowTops.lanewise(LSHR, 6).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 5 * pair)));
                n = r1.lanewise(LSHR, 8).and(NIBBLES)
                        .or(lowTops.lanewise(LSHR, 8).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 6 * pair)));
                n = r1.lanewise(LSHR, 12).and(NIBBLES)
                        .or(lowTops.lanewise(LSHR, 10).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                low = low.add(n.mul(ShortVector.fromArray(ss, xq, x + 7 * pair)));
                n = r2.and(NIBBLES).or(highTops.lanewise(LSHL, 4).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                high = n.mul(ShortVector.fromArray(ss, xq, x + 8 * pair));
                n = r2.lanewise(LSHR, 4).and(NIBBLES)
                        .or(highTops.lanewise(LSHL, 2).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 9 * pair)));
                n = r2.lanewise(LSHR, 8).and(NIBBLES).or(highTops.and(TOPS)).reinterpretAsShorts().sub(BIAS);
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 10 * pair)));
                n = r2.lanewise(LSHR, 12).and(NIBBLES)
                        .or(highTops.lanewise(LSHR, 2).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 11 * pair)));
                n = r3.and(NIBBLES).or(highTops.lanewise(LSHR, 4).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 12 * pair)));
                n = r3.lanewise(LSHR, 4).and(NIBBLES)
                        .or(highTops.lanewise(LSHR, 6).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 13 * pair)));
                n = r3.lanewise(LSHR, 8).and(NIBBLES)
                        .or(highTops.lanewise(LSHR, 8).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 14 * pair)));
                n = r3.lanewise(LSHR, 12).and(NIBBLES)
                        .or(highTops.lanewise(LSHR, 10).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                high = high.add(n.mul(ShortVector.fromArray(ss, xq, x + 15 * pair)));
                int b = xsOff + g * lanes;
                IntVector lows = low.reinterpretAsInts();
                IntVector highs = high.reinterpretAsInts();
                FloatVector sums = (FloatVector) lows.lanewise(LSHL, 16).lanewise(ASHR, 16).add(lows.lanewise(ASHR, 16))
                        .convert(I2F, 0);
                acc = ((FloatVector) highs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(highs.lanewise(ASHR, 16))
                        .convert(I2F, 0))
                        .mul(FloatVector.fromMemorySegment(fs, row, at + 28L * lanes, ORDER))
                        .add(sums.mul(FloatVector.fromMemorySegment(fs, row, at + 24L * lanes, ORDER)))
                        .fma(FloatVector.fromArray(fs, xs, b), acc);
            }
            out[outOff + r] = acc.reduceLanes(ADD);
        }
    }

    /**
     * {@link #dot} for {@value QuantKernels#TILE} activation rows at once: one tile
     * of {@link QuantizedActivations} from {@code xqOff} and {@code xsOff}; row {@code k}'s products go to
     * {@code out[outOff + k * outStride + r]}.
     */
    static void tile(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                     short[] xq, int xqOff, float[] xs, int xsOff,
                     float[] out, int outOff, int outStride) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        int run = 4 * lanes;
        int groupBytes = 32 * lanes;
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
                ShortVector n;
                IntVector pairs;
                IntVector ra = IntVector.fromMemorySegment(is, row, at + 2 * half * run, ORDER);
                IntVector rb = IntVector.fromMemorySegment(is, row, at + (2 * half + 1) * run, ORDER);
                IntVector tops = IntVector.fromMemorySegment(is, row, at + (16 + 4 * half) * lanes, ORDER);
                FloatVector scale = FloatVector.fromMemorySegment(fs, row, at + (24 + 4 * half) * lanes, ORDER);
                ShortVector s0 = ShortVector.zero(ss);
                ShortVector s1 = ShortVector.zero(ss);
                ShortVector s2 = ShortVector.zero(ss);
                ShortVector s3 = ShortVector.zero(ss);
                n = ra.and(NIBBLES).or(tops.lanewise(LSHL, 4).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 4 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 8 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 12 * pair)));
                n = ra.lanewise(LSHR, 4).and(NIBBLES)
                        .or(tops.lanewise(LSHL, 2).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 5 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 9 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 13 * pair)));
                n = ra.lanewise(LSHR, 8).and(NIBBLES).or(tops.and(TOPS)).reinterpretAsShorts().sub(BIAS);
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 2 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 6 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 10 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 14 * pair)));
                n = ra.lanewise(LSHR, 12).and(NIBBLES)
                        .or(tops.lanewise(LSHR, 2).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 3 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 7 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 11 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 15 * pair)));
                n = rb.and(NIBBLES).or(tops.lanewise(LSHR, 4).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 16 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 20 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 24 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 28 * pair)));
                n = rb.lanewise(LSHR, 4).and(NIBBLES)
                        .or(tops.lanewise(LSHR, 6).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 17 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 21 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 25 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 29 * pair)));
                n = rb.lanewise(LSHR, 8).and(NIBBLES)
                        .or(tops.lanewise(LSHR, 8).and(TOPS)).reinterpretAsShorts().sub(BIAS);
                s0 = s0.add(n.mul(ShortVector.fromArray(ss, xq, x + 18 * pair)));
                s1 = s1.add(n.mul(ShortVector.fromArray(ss, xq, x + 22 * pair)));
                s2 = s2.add(n.mul(ShortVector.fromArray(ss, xq, x + 26 * pair)));
                s3 = s3.add(n.mul(ShortVector.fromArray(ss, xq, x + 30 * pair)));
                n = rb.lanewise(LSHR, 12).and(NIBBLES)
                        .or(tops.lanewise(LSHR, 10).and(TOPS)).reinterpretAsShorts().sub(BIAS);
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
            }
            out[outOff + r] = acc0.reduceLanes(ADD);
            out[outOff + outStride + r] = acc1.reduceLanes(ADD);
            out[outOff + 2 * outStride + r] = acc2.reduceLanes(ADD);
            out[outOff + 3 * outStride + r] = acc3.reduceLanes(ADD);
        }
    }
}
