package io.github.infer4j.backend.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static io.github.infer4j.backend.cpu.Layouts.ORDER;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.S2I;

/**
 * Products of {@link PackedMatrix} rows with {@link QuantizedActivations} rows, in 16-bit integer lanes.
 *
 * <p>Per group of {@code G} blocks, the 16 element-pair vectors of weights are multiplied lane by lane with those of
 * the activations. The products stay exact in 16 bits: Q4_0 levels (0..15) times activation levels (|x| <= 127)
 * summed over all 16 vectors reach at most 16 * 15 * 127 = 30480; Q8_0 quants (|w| <= 128) allow two products per
 * lane, 32512. Each 32-bit lane, two 16-bit lanes of one block, is then summed as {@code (v << 16 >> 16) + (v >> 16)},
 * giving a vector of {@code G} block sums that is converted to float once and scaled by the {@code G} weight scales
 * times the {@code G} activation scales. Q4_0 sums, taken over levels rather than values, are corrected by the
 * activations' {@code 8 * sum(levels)}.
 *
 * <p>Weight scales are binary16, widened by integer shifts: the magnitude bits moved into binary32 position and
 * multiplied by 2^112 give every finite value, subnormals included ({@link PackedMatrix} rejects the others).
 *
 * <p>The row kernels' group bodies are written out flat, like {@link WeightKernels}: loops over the four runs or the
 * sixteen vectors of a group would make C2 check segment bounds with long index arithmetic at each step, about a
 * third slower, and helper methods would risk boxing vectors when C2 declines to inline them. The tile kernels run
 * one loop over the units of a row instead (see {@link #tileQ4}): written out flat, their bodies are too large for
 * C1, and a method C1 cannot compile may stay in the Vector API's interpreted fallback. Row products use one weight
 * row at a time, so that a range of rows is read as one sequential stream; batches of activation rows go four at a
 * time through each weight row, which C2 keeps within the 16 vector registers of AVX2.
 */
final class QuantKernels {
    /** The low nibble of each 16-bit lane, as an int pattern. */
    private static final int NIBBLES = 0x000F000F;
    private static final int SIGN = 0x80000000;
    private static final float HALF_REBIAS = 0x1p112f;
    /** Activation rows that {@link #tileQ4} and {@link #tileQ8} take at once. */
    static final int TILE = 4;

    private QuantKernels() {
    }

    /**
     * {@code out[outOff + r] = w[r] . x} for weight rows {@code r} in {@code [first, end)} of a Q4_0 matrix and the
     * activation row whose levels start at {@code xq[xqOff]} and whose scales and offsets start at {@code xsOff}.
     */
    static void dotQ4(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                      short[] xq, int xqOff, float[] xs, int[] xo, int xsOff, float[] out, int outOff) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        long run = 4L * lanes;
        long groupBytes = 18L * lanes;
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
                ShortVector low = r0.and(NIBBLES).reinterpretAsShorts().mul(ShortVector.fromArray(ss, xq, x))
                        .add(r0.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + pair)))
                        .add(r0.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 2 * pair)))
                        .add(r0.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 3 * pair)))
                        .add(r1.and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 4 * pair)))
                        .add(r1.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 5 * pair)))
                        .add(r1.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 6 * pair)))
                        .add(r1.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 7 * pair)));
                ShortVector high = r2.and(NIBBLES).reinterpretAsShorts()
                        .mul(ShortVector.fromArray(ss, xq, x + 8 * pair))
                        .add(r2.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 9 * pair)))
                        .add(r2.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 10 * pair)))
                        .add(r2.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 11 * pair)))
                        .add(r3.and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 12 * pair)))
                        .add(r3.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 13 * pair)))
                        .add(r3.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 14 * pair)))
                        .add(r3.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts()
                                .mul(ShortVector.fromArray(ss, xq, x + 15 * pair)));
                IntVector pairs = low.add(high).reinterpretAsInts();
                int b = xsOff + g * lanes;
                IntVector half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), row, at + 16L * lanes,
                        ORDER).convertShape(S2I, is, 0);
                FloatVector scale = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats().mul(HALF_REBIAS)
                        .reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                acc = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                        .sub(IntVector.fromArray(is, xo, b)).convert(I2F, 0)).mul(scale)
                        .fma(FloatVector.fromArray(fs, xs, b), acc);
            }
            out[outOff + r] = acc.reduceLanes(ADD);
        }
    }

    /** {@link #dotQ4} for a Q8_0 matrix (no offsets: the quants are the values). */
    static void dotQ8(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                      short[] xq, int xqOff, float[] xs, int xsOff, float[] out, int outOff) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Byte> bs = simd.halfBytes();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        long run = 2L * lanes;
        long groupBytes = 34L * lanes;
        for (int r = first; r < end; r++) {
            MemorySegment row = w.asSlice(r * rowBytes, rowBytes);
            FloatVector acc = FloatVector.zero(fs);
            for (int g = 0; g < groups; g++) {
                long at = g * groupBytes;
                int x = xqOff + g * 16 * pair;
                IntVector sums = IntVector.zero(is);
                ShortVector p;
                IntVector pairs;
                p = ((ShortVector) ByteVector.fromMemorySegment(bs, row, at, ORDER).convertShape(B2S, ss, 0))
                        .mul(ShortVector.fromArray(ss, xq, x))
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, row, at + run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(ShortVector.fromArray(ss, xq, x + pair)));
                pairs = p.reinterpretAsInts();
                sums = sums.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                p = ((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 2 * run, ORDER).convertShape(B2S, ss, 0))
                        .mul(ShortVector.fromArray(ss, xq, x + 2 * pair))
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 3 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(ShortVector.fromArray(ss, xq, x + 3 * pair)));
                pairs = p.reinterpretAsInts();
                sums = sums.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                p = ((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 4 * run, ORDER).convertShape(B2S, ss, 0))
                        .mul(ShortVector.fromArray(ss, xq, x + 4 * pair))
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 5 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(ShortVector.fromArray(ss, xq, x + 5 * pair)));
                pairs = p.reinterpretAsInts();
                sums = sums.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                p = ((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 6 * run, ORDER).convertShape(B2S, ss, 0))
                        .mul(ShortVector.fromArray(ss, xq, x + 6 * pair))
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 7 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(ShortVector.fromArray(ss, xq, x + 7 * pair)));
                pairs = p.reinterpretAsInts();
                sums = sums.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                p = ((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 8 * run, ORDER).convertShape(B2S, ss, 0))
                        .mul(ShortVector.fromArray(ss, xq, x + 8 * pair))
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 9 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(ShortVector.fromArray(ss, xq, x + 9 * pair)));
                pairs = p.reinterpretAsInts();
                sums = sums.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                p = ((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 10 * run, ORDER).convertShape(B2S, ss, 0))
                        .mul(ShortVector.fromArray(ss, xq, x + 10 * pair))
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 11 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(ShortVector.fromArray(ss, xq, x + 11 * pair)));
                pairs = p.reinterpretAsInts();
                sums = sums.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                p = ((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 12 * run, ORDER).convertShape(B2S, ss, 0))
                        .mul(ShortVector.fromArray(ss, xq, x + 12 * pair))
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 13 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(ShortVector.fromArray(ss, xq, x + 13 * pair)));
                pairs = p.reinterpretAsInts();
                sums = sums.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                p = ((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 14 * run, ORDER).convertShape(B2S, ss, 0))
                        .mul(ShortVector.fromArray(ss, xq, x + 14 * pair))
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, row, at + 15 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(ShortVector.fromArray(ss, xq, x + 15 * pair)));
                pairs = p.reinterpretAsInts();
                sums = sums.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                int b = xsOff + g * lanes;
                IntVector half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), row, at + 32L * lanes,
                        ORDER).convertShape(S2I, is, 0);
                FloatVector scale = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats().mul(HALF_REBIAS)
                        .reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                acc = ((FloatVector) sums.convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b), acc);
            }
            out[outOff + r] = acc.reduceLanes(ADD);
        }
    }

    /**
     * {@link #dotQ4} for {@value #TILE} activation rows at once, stored as one tile of {@link QuantizedActivations}
     * from {@code xqOff} (levels) and {@code xsOff} (scales and offsets): row {@code k} of the tile writes
     * {@code out[outOff + k * outStride + r]}. Each loaded weight vector (one unit: four nibble planes) is unpacked
     * once for the four rows.
     *
     * <p>One loop runs over all units of a weight row and folds the 16-bit sums into the float accumulators after
     * every fourth unit, rather than a loop over groups around a loop over units: C2 then proves the activation
     * indexes in bounds once per row instead of checking them for every group, and does not split off a first
     * iteration per group. (Two weight rows at a time, or more activation rows, need more vector registers than
     * AVX2's 16: C2 then spills, and both measured slower.)
     */
    static void tileQ4(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                       short[] xq, int xqOff, float[] xs, int[] xo, int xsOff,
                       float[] out, int outOff, int outStride) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        int run = 4 * lanes;
        int groupBytes = 18 * lanes;
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
                IntVector q = IntVector.fromMemorySegment(is, row, g * groupBytes + (u & 3) * run, ORDER);
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
                    IntVector half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), row,
                            g * groupBytes + 16 * lanes, ORDER).convertShape(S2I, is, 0);
                    FloatVector scale = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats()
                            .mul(HALF_REBIAS).reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                    IntVector pairs = s0.reinterpretAsInts();
                    acc0 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                            .sub(IntVector.fromArray(is, xo, b)).convert(I2F, 0)).mul(scale)
                            .fma(FloatVector.fromArray(fs, xs, b), acc0);
                    pairs = s1.reinterpretAsInts();
                    acc1 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                            .sub(IntVector.fromArray(is, xo, b + lanes)).convert(I2F, 0)).mul(scale)
                            .fma(FloatVector.fromArray(fs, xs, b + lanes), acc1);
                    pairs = s2.reinterpretAsInts();
                    acc2 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                            .sub(IntVector.fromArray(is, xo, b + 2 * lanes)).convert(I2F, 0)).mul(scale)
                            .fma(FloatVector.fromArray(fs, xs, b + 2 * lanes), acc2);
                    pairs = s3.reinterpretAsInts();
                    acc3 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                            .sub(IntVector.fromArray(is, xo, b + 3 * lanes)).convert(I2F, 0)).mul(scale)
                            .fma(FloatVector.fromArray(fs, xs, b + 3 * lanes), acc3);
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

    /**
     * {@link #tileQ4} for a Q8_0 matrix: a unit is four quant vectors, widened to 16 bits and multiplied two at a time
     * (two products per 16-bit lane is the most that cannot overflow), each pair folded into 32-bit sums at once.
     */
    static void tileQ8(Simd simd, MemorySegment w, long rowBytes, int groups, int first, int end,
                       short[] xq, int xqOff, float[] xs, int xsOff, float[] out, int outOff, int outStride) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Byte> bs = simd.halfBytes();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        int run = 2 * lanes;
        int groupBytes = 34 * lanes;
        int units = 4 * groups;
        for (int r = first; r < end; r++) {
            MemorySegment row = w.asSlice(r * rowBytes, rowBytes);
            FloatVector acc0 = FloatVector.zero(fs);
            FloatVector acc1 = FloatVector.zero(fs);
            FloatVector acc2 = FloatVector.zero(fs);
            FloatVector acc3 = FloatVector.zero(fs);
            IntVector t0 = IntVector.zero(is);
            IntVector t1 = IntVector.zero(is);
            IntVector t2 = IntVector.zero(is);
            IntVector t3 = IntVector.zero(is);
            for (int u = 0; u < units; u++) {
                int g = u >> 2;
                int at = g * groupBytes + (u & 3) * 4 * run;
                int x = xqOff + u * 16 * pair;
                ShortVector w0 = (ShortVector) ByteVector.fromMemorySegment(bs, row, at, ORDER)
                        .convertShape(B2S, ss, 0);
                ShortVector w1 = (ShortVector) ByteVector.fromMemorySegment(bs, row, at + run, ORDER)
                        .convertShape(B2S, ss, 0);
                IntVector pairs = w0.mul(ShortVector.fromArray(ss, xq, x))
                        .add(w1.mul(ShortVector.fromArray(ss, xq, x + pair))).reinterpretAsInts();
                t0 = t0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = w0.mul(ShortVector.fromArray(ss, xq, x + 4 * pair))
                        .add(w1.mul(ShortVector.fromArray(ss, xq, x + 5 * pair))).reinterpretAsInts();
                t1 = t1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = w0.mul(ShortVector.fromArray(ss, xq, x + 8 * pair))
                        .add(w1.mul(ShortVector.fromArray(ss, xq, x + 9 * pair))).reinterpretAsInts();
                t2 = t2.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = w0.mul(ShortVector.fromArray(ss, xq, x + 12 * pair))
                        .add(w1.mul(ShortVector.fromArray(ss, xq, x + 13 * pair))).reinterpretAsInts();
                t3 = t3.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                w0 = (ShortVector) ByteVector.fromMemorySegment(bs, row, at + 2 * run, ORDER).convertShape(B2S, ss, 0);
                w1 = (ShortVector) ByteVector.fromMemorySegment(bs, row, at + 3 * run, ORDER).convertShape(B2S, ss, 0);
                pairs = w0.mul(ShortVector.fromArray(ss, xq, x + 2 * pair))
                        .add(w1.mul(ShortVector.fromArray(ss, xq, x + 3 * pair))).reinterpretAsInts();
                t0 = t0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = w0.mul(ShortVector.fromArray(ss, xq, x + 6 * pair))
                        .add(w1.mul(ShortVector.fromArray(ss, xq, x + 7 * pair))).reinterpretAsInts();
                t1 = t1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = w0.mul(ShortVector.fromArray(ss, xq, x + 10 * pair))
                        .add(w1.mul(ShortVector.fromArray(ss, xq, x + 11 * pair))).reinterpretAsInts();
                t2 = t2.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = w0.mul(ShortVector.fromArray(ss, xq, x + 14 * pair))
                        .add(w1.mul(ShortVector.fromArray(ss, xq, x + 15 * pair))).reinterpretAsInts();
                t3 = t3.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                if ((u & 3) == 3) {
                    int b = xsOff + g * 4 * lanes;
                    IntVector half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), row,
                            g * groupBytes + 32 * lanes, ORDER).convertShape(S2I, is, 0);
                    FloatVector scale = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats()
                            .mul(HALF_REBIAS).reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                    acc0 = ((FloatVector) t0.convert(I2F, 0)).mul(scale).fma(FloatVector.fromArray(fs, xs, b), acc0);
                    acc1 = ((FloatVector) t1.convert(I2F, 0)).mul(scale)
                            .fma(FloatVector.fromArray(fs, xs, b + lanes), acc1);
                    acc2 = ((FloatVector) t2.convert(I2F, 0)).mul(scale)
                            .fma(FloatVector.fromArray(fs, xs, b + 2 * lanes), acc2);
                    acc3 = ((FloatVector) t3.convert(I2F, 0)).mul(scale)
                            .fma(FloatVector.fromArray(fs, xs, b + 3 * lanes), acc3);
                    t0 = IntVector.zero(is);
                    t1 = IntVector.zero(is);
                    t2 = IntVector.zero(is);
                    t3 = IntVector.zero(is);
                }
            }
            out[outOff + r] = acc0.reduceLanes(ADD);
            out[outOff + outStride + r] = acc1.reduceLanes(ADD);
            out[outOff + 2 * outStride + r] = acc2.reduceLanes(ADD);
            out[outOff + 3 * outStride + r] = acc3.reduceLanes(ADD);
        }
    }
}
