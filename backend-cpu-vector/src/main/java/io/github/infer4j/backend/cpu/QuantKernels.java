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
 * C1, and a method C1 cannot compile may stay in the Vector API's interpreted fallback. Row products take the two
 * rows of a {@link RowPairs pair} at once: each activation vector is loaded once for both, and the two rows' groups,
 * stored alternately, are one sequential stream (on Llama-3.2-1B's shape, in a standalone harness, a decode step's
 * matrix products ran about a quarter faster than row by row in Q8_0; docs/PERFORMANCE.md). Batches of activation
 * rows go four at a time through one weight row, which C2 keeps within the 16 vector registers of AVX2.
 *
 * <p>The kernels address the whole matrix segment with absolute offsets rather than slicing out each row: in the JVM
 * of a loaded model (not in a small harness), C2 left {@code asSlice} in the kernel as a call, so every row was a new
 * segment object of a class C2 did not know, and its vector loads lost their fast path. On the Q8_0 model of that
 * shape, the two builds taking turns, decode ran 10.4-11.5 t/s with per-row slices and 12.9-14.4 t/s without, and
 * prefill (pp256) 32-34 against 37-43 t/s.
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
     * {@code out[outOff + r] = w[r] . x} for weight rows {@code r} in {@code [first, end)} of a Q4_0 matrix of
     * {@code rows} rows and the activation row whose levels start at {@code xq[xqOff]} and whose scales and offsets
     * start at {@code xsOff}. The rows of a pair ({@link RowPairs}) are taken together, each activation vector loaded
     * once for both; a row whose partner lies outside the range, or that has none, goes alone through the same code
     * (as both rows of the pair, its product written once).
     */
    static void dotQ4(Simd simd, MemorySegment w, long rowBytes, int rows, int groups, int first, int end,
                      short[] xq, int xqOff, float[] xs, int[] xo, int xsOff, float[] out, int outOff) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        long run = 4L * lanes;
        int groupBytes = 18 * lanes;
        for (int r = first; r < end; ) {
            boolean both = RowPairs.pairAt(r, end, rows);
            int stride = RowPairs.groupStride(r, rows, groupBytes);
            long start = RowPairs.start(r, rowBytes, groupBytes);
            long second = both ? groupBytes : 0;
            FloatVector acc0 = FloatVector.zero(fs);
            FloatVector acc1 = FloatVector.zero(fs);
            for (int g = 0; g < groups; g++) {
                long at0 = start + (long) g * stride;
                long at1 = at0 + second;
                int x = xqOff + g * 16 * pair;
                ShortVector xv;
                ShortVector low0;
                ShortVector low1;
                ShortVector high0;
                ShortVector high1;
                IntVector q0;
                IntVector q1;
                q0 = IntVector.fromMemorySegment(is, w, at0, ORDER);
                q1 = IntVector.fromMemorySegment(is, w, at1, ORDER);
                xv = ShortVector.fromArray(ss, xq, x);
                low0 = q0.and(NIBBLES).reinterpretAsShorts().mul(xv);
                low1 = q1.and(NIBBLES).reinterpretAsShorts().mul(xv);
                xv = ShortVector.fromArray(ss, xq, x + pair);
                low0 = low0.add(q0.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts().mul(xv));
                low1 = low1.add(q1.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 2 * pair);
                low0 = low0.add(q0.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts().mul(xv));
                low1 = low1.add(q1.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 3 * pair);
                low0 = low0.add(q0.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts().mul(xv));
                low1 = low1.add(q1.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts().mul(xv));
                q0 = IntVector.fromMemorySegment(is, w, at0 + run, ORDER);
                q1 = IntVector.fromMemorySegment(is, w, at1 + run, ORDER);
                xv = ShortVector.fromArray(ss, xq, x + 4 * pair);
                low0 = low0.add(q0.and(NIBBLES).reinterpretAsShorts().mul(xv));
                low1 = low1.add(q1.and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 5 * pair);
                low0 = low0.add(q0.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts().mul(xv));
                low1 = low1.add(q1.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 6 * pair);
                low0 = low0.add(q0.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts().mul(xv));
                low1 = low1.add(q1.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 7 * pair);
                low0 = low0.add(q0.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts().mul(xv));
                low1 = low1.add(q1.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts().mul(xv));
                q0 = IntVector.fromMemorySegment(is, w, at0 + 2 * run, ORDER);
                q1 = IntVector.fromMemorySegment(is, w, at1 + 2 * run, ORDER);
                xv = ShortVector.fromArray(ss, xq, x + 8 * pair);
                high0 = q0.and(NIBBLES).reinterpretAsShorts().mul(xv);
                high1 = q1.and(NIBBLES).reinterpretAsShorts().mul(xv);
                xv = ShortVector.fromArray(ss, xq, x + 9 * pair);
                high0 = high0.add(q0.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts().mul(xv));
                high1 = high1.add(q1.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 10 * pair);
                high0 = high0.add(q0.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts().mul(xv));
                high1 = high1.add(q1.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 11 * pair);
                high0 = high0.add(q0.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts().mul(xv));
                high1 = high1.add(q1.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts().mul(xv));
                q0 = IntVector.fromMemorySegment(is, w, at0 + 3 * run, ORDER);
                q1 = IntVector.fromMemorySegment(is, w, at1 + 3 * run, ORDER);
                xv = ShortVector.fromArray(ss, xq, x + 12 * pair);
                high0 = high0.add(q0.and(NIBBLES).reinterpretAsShorts().mul(xv));
                high1 = high1.add(q1.and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 13 * pair);
                high0 = high0.add(q0.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts().mul(xv));
                high1 = high1.add(q1.lanewise(LSHR, 4).and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 14 * pair);
                high0 = high0.add(q0.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts().mul(xv));
                high1 = high1.add(q1.lanewise(LSHR, 8).and(NIBBLES).reinterpretAsShorts().mul(xv));
                xv = ShortVector.fromArray(ss, xq, x + 15 * pair);
                high0 = high0.add(q0.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts().mul(xv));
                high1 = high1.add(q1.lanewise(LSHR, 12).and(NIBBLES).reinterpretAsShorts().mul(xv));
                int b = xsOff + g * lanes;
                FloatVector xScale = FloatVector.fromArray(fs, xs, b);
                IntVector xOffset = IntVector.fromArray(is, xo, b);
                IntVector half;
                FloatVector scale;
                IntVector pairs = low0.add(high0).reinterpretAsInts();
                half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, at0 + 16L * lanes, ORDER)
                        .convertShape(S2I, is, 0);
                scale = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats().mul(HALF_REBIAS)
                        .reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                acc0 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                        .sub(xOffset).convert(I2F, 0)).mul(scale).fma(xScale, acc0);
                pairs = low1.add(high1).reinterpretAsInts();
                half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, at1 + 16L * lanes, ORDER)
                        .convertShape(S2I, is, 0);
                scale = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats().mul(HALF_REBIAS)
                        .reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                acc1 = ((FloatVector) pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16))
                        .sub(xOffset).convert(I2F, 0)).mul(scale).fma(xScale, acc1);
            }
            out[outOff + r] = acc0.reduceLanes(ADD);
            if (both) {
                out[outOff + r + 1] = acc1.reduceLanes(ADD);
            }
            r += both ? 2 : 1;
        }
    }

    /**
     * {@link #dotQ4} for a Q8_0 matrix (no offsets: the quants are the values). Each pair of quant vectors is widened
     * to 16 bits, multiplied and folded into 32-bit sums at once (two products per 16-bit lane is the most that cannot
     * overflow).
     */
    static void dotQ8(Simd simd, MemorySegment w, long rowBytes, int rows, int groups, int first, int end,
                      short[] xq, int xqOff, float[] xs, int xsOff, float[] out, int outOff) {
        VectorSpecies<Short> ss = simd.shorts();
        VectorSpecies<Byte> bs = simd.halfBytes();
        VectorSpecies<Integer> is = simd.ints();
        VectorSpecies<Float> fs = simd.floats();
        int lanes = is.length();
        int pair = 2 * lanes;
        long run = 2L * lanes;
        int groupBytes = 34 * lanes;
        for (int r = first; r < end; ) {
            boolean both = RowPairs.pairAt(r, end, rows);
            int stride = RowPairs.groupStride(r, rows, groupBytes);
            long start = RowPairs.start(r, rowBytes, groupBytes);
            long second = both ? groupBytes : 0;
            FloatVector acc0 = FloatVector.zero(fs);
            FloatVector acc1 = FloatVector.zero(fs);
            for (int g = 0; g < groups; g++) {
                long at0 = start + (long) g * stride;
                long at1 = at0 + second;
                int x = xqOff + g * 16 * pair;
                IntVector sums0 = IntVector.zero(is);
                IntVector sums1 = IntVector.zero(is);
                ShortVector xa;
                ShortVector xb;
                IntVector pairs;
                xa = ShortVector.fromArray(ss, xq, x);
                xb = ShortVector.fromArray(ss, xq, x + pair);
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at0, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums0 = sums0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at1, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums1 = sums1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 2 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 3 * pair);
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 2 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 3 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums0 = sums0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 2 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 3 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums1 = sums1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 4 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 5 * pair);
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 4 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 5 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums0 = sums0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 4 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 5 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums1 = sums1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 6 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 7 * pair);
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 6 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 7 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums0 = sums0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 6 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 7 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums1 = sums1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 8 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 9 * pair);
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 8 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 9 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums0 = sums0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 8 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 9 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums1 = sums1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 10 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 11 * pair);
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 10 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 11 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums0 = sums0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 10 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 11 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums1 = sums1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 12 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 13 * pair);
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 12 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 13 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums0 = sums0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 12 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 13 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums1 = sums1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 14 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 15 * pair);
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 14 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at0 + 15 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums0 = sums0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = ((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 14 * run, ORDER)
                        .convertShape(B2S, ss, 0)).mul(xa)
                        .add(((ShortVector) ByteVector.fromMemorySegment(bs, w, at1 + 15 * run, ORDER)
                                .convertShape(B2S, ss, 0)).mul(xb)).reinterpretAsInts();
                sums1 = sums1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                FloatVector xScale = FloatVector.fromArray(fs, xs, xsOff + g * lanes);
                IntVector half;
                FloatVector scale;
                half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, at0 + 32L * lanes, ORDER)
                        .convertShape(S2I, is, 0);
                scale = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats().mul(HALF_REBIAS)
                        .reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                acc0 = ((FloatVector) sums0.convert(I2F, 0)).mul(scale).fma(xScale, acc0);
                half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, at1 + 32L * lanes, ORDER)
                        .convertShape(S2I, is, 0);
                scale = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats().mul(HALF_REBIAS)
                        .reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                acc1 = ((FloatVector) sums1.convert(I2F, 0)).mul(scale).fma(xScale, acc1);
            }
            out[outOff + r] = acc0.reduceLanes(ADD);
            if (both) {
                out[outOff + r + 1] = acc1.reduceLanes(ADD);
            }
            r += both ? 2 : 1;
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
    static void tileQ4(Simd simd, MemorySegment w, long rowBytes, int rows, int groups, int first, int end,
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
            int stride = RowPairs.groupStride(r, rows, groupBytes);
            long start = RowPairs.start(r, rowBytes, groupBytes);
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
                IntVector q = IntVector.fromMemorySegment(is, w, start + g * stride + (u & 3) * run, ORDER);
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
                    IntVector half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w,
                            start + g * stride + 16 * lanes, ORDER).convertShape(S2I, is, 0);
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
     * Unlike {@link #tileQ4}, it takes the two rows of a {@link RowPairs pair} at once, as the row kernels do, so each
     * activation vector is loaded once for two weight rows; a row without its partner in range goes alone through
     * the same code. It keeps more vectors live than AVX2 has registers, and is faster all the same (Llama-3.2-1B's
     * shape: pp256 48-57 against 48-52 t/s in six alternating runs of the two builds); a two-row version of an earlier
     * Q4_0 tile measured slower (22 against 26 GMAC/s), so that one stays at one weight row.
     */
    static void tileQ8(Simd simd, MemorySegment w, long rowBytes, int rows, int groups, int first, int end,
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
        for (int r = first; r < end; ) {
            boolean both = RowPairs.pairAt(r, end, rows);
            int stride = RowPairs.groupStride(r, rows, groupBytes);
            long start = RowPairs.start(r, rowBytes, groupBytes);
            long second = both ? groupBytes : 0;
            FloatVector acca0 = FloatVector.zero(fs);
            FloatVector acca1 = FloatVector.zero(fs);
            FloatVector acca2 = FloatVector.zero(fs);
            FloatVector acca3 = FloatVector.zero(fs);
            FloatVector accb0 = FloatVector.zero(fs);
            FloatVector accb1 = FloatVector.zero(fs);
            FloatVector accb2 = FloatVector.zero(fs);
            FloatVector accb3 = FloatVector.zero(fs);
            IntVector ta0 = IntVector.zero(is);
            IntVector ta1 = IntVector.zero(is);
            IntVector ta2 = IntVector.zero(is);
            IntVector ta3 = IntVector.zero(is);
            IntVector tb0 = IntVector.zero(is);
            IntVector tb1 = IntVector.zero(is);
            IntVector tb2 = IntVector.zero(is);
            IntVector tb3 = IntVector.zero(is);
            for (int u = 0; u < units; u++) {
                int g = u >> 2;
                long at = start + (long) g * stride + (u & 3) * 4 * run;
                int x = xqOff + u * 16 * pair;
                ShortVector xa;
                ShortVector xb;
                IntVector pairs;
                ShortVector wa0 = (ShortVector) ByteVector.fromMemorySegment(bs, w, at, ORDER)
                        .convertShape(B2S, ss, 0);
                ShortVector wa1 = (ShortVector) ByteVector.fromMemorySegment(bs, w, at + run, ORDER)
                        .convertShape(B2S, ss, 0);
                ShortVector wb0 = (ShortVector) ByteVector.fromMemorySegment(bs, w, at + second, ORDER)
                        .convertShape(B2S, ss, 0);
                ShortVector wb1 = (ShortVector) ByteVector.fromMemorySegment(bs, w, at + second + run, ORDER)
                        .convertShape(B2S, ss, 0);
                xa = ShortVector.fromArray(ss, xq, x);
                xb = ShortVector.fromArray(ss, xq, x + pair);
                pairs = wa0.mul(xa).add(wa1.mul(xb)).reinterpretAsInts();
                ta0 = ta0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = wb0.mul(xa).add(wb1.mul(xb)).reinterpretAsInts();
                tb0 = tb0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 4 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 5 * pair);
                pairs = wa0.mul(xa).add(wa1.mul(xb)).reinterpretAsInts();
                ta1 = ta1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = wb0.mul(xa).add(wb1.mul(xb)).reinterpretAsInts();
                tb1 = tb1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 8 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 9 * pair);
                pairs = wa0.mul(xa).add(wa1.mul(xb)).reinterpretAsInts();
                ta2 = ta2.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = wb0.mul(xa).add(wb1.mul(xb)).reinterpretAsInts();
                tb2 = tb2.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 12 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 13 * pair);
                pairs = wa0.mul(xa).add(wa1.mul(xb)).reinterpretAsInts();
                ta3 = ta3.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = wb0.mul(xa).add(wb1.mul(xb)).reinterpretAsInts();
                tb3 = tb3.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                wa0 = (ShortVector) ByteVector.fromMemorySegment(bs, w, at + 2 * run, ORDER)
                        .convertShape(B2S, ss, 0);
                wa1 = (ShortVector) ByteVector.fromMemorySegment(bs, w, at + 3 * run, ORDER)
                        .convertShape(B2S, ss, 0);
                wb0 = (ShortVector) ByteVector.fromMemorySegment(bs, w, at + second + 2 * run, ORDER)
                        .convertShape(B2S, ss, 0);
                wb1 = (ShortVector) ByteVector.fromMemorySegment(bs, w, at + second + 3 * run, ORDER)
                        .convertShape(B2S, ss, 0);
                xa = ShortVector.fromArray(ss, xq, x + 2 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 3 * pair);
                pairs = wa0.mul(xa).add(wa1.mul(xb)).reinterpretAsInts();
                ta0 = ta0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = wb0.mul(xa).add(wb1.mul(xb)).reinterpretAsInts();
                tb0 = tb0.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 6 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 7 * pair);
                pairs = wa0.mul(xa).add(wa1.mul(xb)).reinterpretAsInts();
                ta1 = ta1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = wb0.mul(xa).add(wb1.mul(xb)).reinterpretAsInts();
                tb1 = tb1.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 10 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 11 * pair);
                pairs = wa0.mul(xa).add(wa1.mul(xb)).reinterpretAsInts();
                ta2 = ta2.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = wb0.mul(xa).add(wb1.mul(xb)).reinterpretAsInts();
                tb2 = tb2.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                xa = ShortVector.fromArray(ss, xq, x + 14 * pair);
                xb = ShortVector.fromArray(ss, xq, x + 15 * pair);
                pairs = wa0.mul(xa).add(wa1.mul(xb)).reinterpretAsInts();
                ta3 = ta3.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                pairs = wb0.mul(xa).add(wb1.mul(xb)).reinterpretAsInts();
                tb3 = tb3.add(pairs.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(pairs.lanewise(ASHR, 16));
                if ((u & 3) == 3) {
                    int b = xsOff + g * 4 * lanes;
                    long scales = start + (long) g * stride + 32 * lanes;
                    IntVector half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, scales, ORDER)
                            .convertShape(S2I, is, 0);
                    FloatVector scaleA = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats()
                            .mul(HALF_REBIAS).reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                    half = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, scales + second, ORDER)
                            .convertShape(S2I, is, 0);
                    FloatVector scaleB = half.lanewise(LSHL, 17).lanewise(LSHR, 4).reinterpretAsFloats()
                            .mul(HALF_REBIAS).reinterpretAsInts().or(half.and(SIGN)).reinterpretAsFloats();
                    FloatVector xs0 = FloatVector.fromArray(fs, xs, b);
                    acca0 = ((FloatVector) ta0.convert(I2F, 0)).mul(scaleA).fma(xs0, acca0);
                    ta0 = IntVector.zero(is);
                    accb0 = ((FloatVector) tb0.convert(I2F, 0)).mul(scaleB).fma(xs0, accb0);
                    tb0 = IntVector.zero(is);
                    FloatVector xs1 = FloatVector.fromArray(fs, xs, b + lanes);
                    acca1 = ((FloatVector) ta1.convert(I2F, 0)).mul(scaleA).fma(xs1, acca1);
                    ta1 = IntVector.zero(is);
                    accb1 = ((FloatVector) tb1.convert(I2F, 0)).mul(scaleB).fma(xs1, accb1);
                    tb1 = IntVector.zero(is);
                    FloatVector xs2 = FloatVector.fromArray(fs, xs, b + 2 * lanes);
                    acca2 = ((FloatVector) ta2.convert(I2F, 0)).mul(scaleA).fma(xs2, acca2);
                    ta2 = IntVector.zero(is);
                    accb2 = ((FloatVector) tb2.convert(I2F, 0)).mul(scaleB).fma(xs2, accb2);
                    tb2 = IntVector.zero(is);
                    FloatVector xs3 = FloatVector.fromArray(fs, xs, b + 3 * lanes);
                    acca3 = ((FloatVector) ta3.convert(I2F, 0)).mul(scaleA).fma(xs3, acca3);
                    ta3 = IntVector.zero(is);
                    accb3 = ((FloatVector) tb3.convert(I2F, 0)).mul(scaleB).fma(xs3, accb3);
                    tb3 = IntVector.zero(is);
                }
            }
            out[outOff + r] = acca0.reduceLanes(ADD);
            out[outOff + outStride + r] = acca1.reduceLanes(ADD);
            out[outOff + 2 * outStride + r] = acca2.reduceLanes(ADD);
            out[outOff + 3 * outStride + r] = acca3.reduceLanes(ADD);
            if (both) {
                out[outOff + r + 1] = accb0.reduceLanes(ADD);
                out[outOff + outStride + r + 1] = accb1.reduceLanes(ADD);
                out[outOff + 2 * outStride + r + 1] = accb2.reduceLanes(ADD);
                out[outOff + 3 * outStride + r + 1] = accb3.reduceLanes(ADD);
            }
            r += both ? 2 : 1;
        }
    }
}
