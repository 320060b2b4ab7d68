package io.github.infer4j.backend.cpu;

import io.github.infer4j.tensor.DType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static io.github.infer4j.backend.cpu.Layouts.FLOAT;
import static io.github.infer4j.backend.cpu.Layouts.ORDER;
import static io.github.infer4j.backend.cpu.Layouts.SHORT;
import static jdk.incubator.vector.VectorOperators.S2I;

/**
 * Dot products and row decoding of stored F32, F16 and BF16 weights against float activations, and F16 decoding of
 * KV cache blocks.
 * Stored values are decoded in registers and never written back: a weight matrix is read straight from its mapped
 * segment. A scalar tail follows the last whole vector. (Quantized matrices are repacked at load, see
 * {@link PackedMatrix}.)
 *
 * <p>Written for C2, which only emits vector instructions when the species is a constant where a vector is made:
 * every method takes and returns scalars, arrays and segments only, never a vector, and calls no helper that does:
 * whether C2 inlines a kernel into its caller or compiles it on its own, no vector is ever boxed (a helper left out
 * of inlining, e.g. for lack of node budget in a big caller, would return heap-allocated vectors). Hence the
 * binary16 decoding is spelled out where it is used rather than shared.
 *
 * <p>Binary16 is widened with integer operations (the Vector API has no half-float conversion): exponent and
 * mantissa move into binary32 position and a multiply by 2^112 rebiases the exponent, which also turns subnormals
 * into the right normal floats; infinities and NaNs get the all-ones exponent back explicitly.
 */
final class WeightKernels {
    private static final float HALF_REBIAS = 0x1p112f;
    private static final int HALF_MAGNITUDE = 0x7FFF;
    private static final int HALF_SIGN = 0x8000;
    private static final int HALF_INFINITY = 0x7C00;
    private static final int FLOAT_INFINITY = 0x7F800000;

    private WeightKernels() {
    }

    /** {@code sum_i w[i] * x[xOff + i]} over {@code n} elements of type {@code type} stored at {@code offset}. */
    static float dot(Simd simd, DType type, MemorySegment w, long offset, float[] x, int xOff, int n) {
        return switch (type) {
            case F32 -> dotF32(simd, w, offset, x, xOff, n);
            case F16 -> dotF16(simd, w, offset, x, xOff, n);
            case BF16 -> dotBF16(simd, w, offset, x, xOff, n);
            default -> throw new IllegalArgumentException(type + " matrices are repacked, see PackedMatrix");
        };
    }

    /** Two accumulators, swapped every step, so consecutive multiply-adds do not wait on each other. */
    static float dotF32(Simd simd, MemorySegment w, long offset, float[] x, int xOff, int n) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        FloatVector acc0 = FloatVector.zero(fs);
        FloatVector acc1 = FloatVector.zero(fs);
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector next = FloatVector.fromMemorySegment(fs, w, offset + 4L * i, ORDER)
                    .fma(FloatVector.fromArray(fs, x, xOff + i), acc0);
            acc0 = acc1;
            acc1 = next;
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += w.get(FLOAT, offset + 4L * i) * x[xOff + i];
        }
        return sum;
    }

    static float dotF16(Simd simd, MemorySegment w, long offset, float[] x, int xOff, int n) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        FloatVector acc0 = FloatVector.zero(fs);
        FloatVector acc1 = FloatVector.zero(fs);
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            IntVector bits = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, offset + 2L * i, ORDER)
                    .convertShape(S2I, simd.ints(), 0);
            IntVector magnitude = bits.and(HALF_MAGNITUDE);
            IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
            FloatVector value = shifted.reinterpretAsFloats().mul(HALF_REBIAS).reinterpretAsInts()
                    .blend(shifted.or(FLOAT_INFINITY), magnitude.compare(VectorOperators.GE, HALF_INFINITY))
                    .or(bits.and(HALF_SIGN).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            FloatVector next = value.fma(FloatVector.fromArray(fs, x, xOff + i), acc0);
            acc0 = acc1;
            acc1 = next;
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += Float.float16ToFloat(w.get(SHORT, offset + 2L * i)) * x[xOff + i];
        }
        return sum;
    }

    /** bfloat16 is the top half of a binary32: widening is a shift. */
    static float dotBF16(Simd simd, MemorySegment w, long offset, float[] x, int xOff, int n) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        FloatVector acc0 = FloatVector.zero(fs);
        FloatVector acc1 = FloatVector.zero(fs);
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector value = ((IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, offset + 2L * i, ORDER)
                    .convertShape(S2I, simd.ints(), 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector next = value.fma(FloatVector.fromArray(fs, x, xOff + i), acc0);
            acc0 = acc1;
            acc1 = next;
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += Float.intBitsToFloat(w.get(SHORT, offset + 2L * i) << 16) * x[xOff + i];
        }
        return sum;
    }

    /**
     * Four dot products of one decoded weight row {@code w[0..n)} with the activation rows starting at
     * {@code x[xOff + k * stride]}, written to {@code out[outOff + k * outStride]}: each weight vector is loaded once
     * for the four rows (batches decode a weight row once, then run it through this). Two accumulators per row, taking
     * turns, keep eight multiply-adds in flight.
     */
    static void dot4(Simd simd, float[] w, float[] x, int xOff, int stride, float[] out, int outOff, int outStride,
                     int n) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        FloatVector a0 = FloatVector.zero(fs);
        FloatVector a1 = FloatVector.zero(fs);
        FloatVector a2 = FloatVector.zero(fs);
        FloatVector a3 = FloatVector.zero(fs);
        FloatVector b0 = FloatVector.zero(fs);
        FloatVector b1 = FloatVector.zero(fs);
        FloatVector b2 = FloatVector.zero(fs);
        FloatVector b3 = FloatVector.zero(fs);
        int x1 = xOff + stride;
        int x2 = xOff + 2 * stride;
        int x3 = xOff + 3 * stride;
        int i = 0;
        for (; i <= n - 2 * lanes; i += 2 * lanes) {
            FloatVector wa = FloatVector.fromArray(fs, w, i);
            FloatVector wb = FloatVector.fromArray(fs, w, i + lanes);
            a0 = wa.fma(FloatVector.fromArray(fs, x, xOff + i), a0);
            a1 = wa.fma(FloatVector.fromArray(fs, x, x1 + i), a1);
            a2 = wa.fma(FloatVector.fromArray(fs, x, x2 + i), a2);
            a3 = wa.fma(FloatVector.fromArray(fs, x, x3 + i), a3);
            b0 = wb.fma(FloatVector.fromArray(fs, x, xOff + i + lanes), b0);
            b1 = wb.fma(FloatVector.fromArray(fs, x, x1 + i + lanes), b1);
            b2 = wb.fma(FloatVector.fromArray(fs, x, x2 + i + lanes), b2);
            b3 = wb.fma(FloatVector.fromArray(fs, x, x3 + i + lanes), b3);
        }
        float sum0 = a0.add(b0).reduceLanes(VectorOperators.ADD);
        float sum1 = a1.add(b1).reduceLanes(VectorOperators.ADD);
        float sum2 = a2.add(b2).reduceLanes(VectorOperators.ADD);
        float sum3 = a3.add(b3).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum0 += w[i] * x[xOff + i];
            sum1 += w[i] * x[x1 + i];
            sum2 += w[i] * x[x2 + i];
            sum3 += w[i] * x[x3 + i];
        }
        out[outOff] = sum0;
        out[outOff + outStride] = sum1;
        out[outOff + 2 * outStride] = sum2;
        out[outOff + 3 * outStride] = sum3;
    }

    /** {@code sum_i w[i] * x[xOff + i]} over a decoded weight row. */
    static float dot(Simd simd, float[] w, float[] x, int xOff, int n) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        FloatVector acc0 = FloatVector.zero(fs);
        FloatVector acc1 = FloatVector.zero(fs);
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector next = FloatVector.fromArray(fs, w, i).fma(FloatVector.fromArray(fs, x, xOff + i), acc0);
            acc0 = acc1;
            acc1 = next;
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += w[i] * x[xOff + i];
        }
        return sum;
    }

    /** Decodes {@code n} elements stored at {@code offset} into {@code dst[dstOff..]} (embedding rows). */
    static void decode(Simd simd, DType type, MemorySegment w, long offset, float[] dst, int dstOff, int n) {
        switch (type) {
            case F32 -> MemorySegment.copy(w, FLOAT, offset, dst, dstOff, n);
            case F16 -> decodeF16(simd, w, offset, dst, dstOff, n);
            case BF16 -> decodeBF16(simd, w, offset, dst, dstOff, n);
            default -> throw new IllegalArgumentException(type + " tables are repacked, see PackedMatrix");
        }
    }

    static void decodeF16(Simd simd, MemorySegment w, long offset, float[] dst, int dstOff, int n) {
        int lanes = simd.floats().length();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            IntVector bits = (IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, offset + 2L * i, ORDER)
                    .convertShape(S2I, simd.ints(), 0);
            IntVector magnitude = bits.and(HALF_MAGNITUDE);
            IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
            shifted.reinterpretAsFloats().mul(HALF_REBIAS).reinterpretAsInts()
                    .blend(shifted.or(FLOAT_INFINITY), magnitude.compare(VectorOperators.GE, HALF_INFINITY))
                    .or(bits.and(HALF_SIGN).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                    .intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = Float.float16ToFloat(w.get(SHORT, offset + 2L * i));
        }
    }

    static void decodeBF16(Simd simd, MemorySegment w, long offset, float[] dst, int dstOff, int n) {
        int lanes = simd.floats().length();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            ((IntVector) ShortVector.fromMemorySegment(simd.halfShorts(), w, offset + 2L * i, ORDER)
                    .convertShape(S2I, simd.ints(), 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats()
                    .intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = Float.intBitsToFloat(w.get(SHORT, offset + 2L * i) << 16);
        }
    }
}
