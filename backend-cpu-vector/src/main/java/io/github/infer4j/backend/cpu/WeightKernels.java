package io.github.infer4j.backend.cpu;

import io.github.infer4j.tensor.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static io.github.infer4j.backend.cpu.Layouts.FLOAT;
import static io.github.infer4j.backend.cpu.Layouts.ORDER;
import static io.github.infer4j.backend.cpu.Layouts.SHORT;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.S2I;

/**
 * Dot products and row decoding of stored weights (and KV cache rows) against float activations, for each element
 * type. Stored values are decoded in registers and never written back: a weight matrix is read straight from its
 * mapped segment. Plain types take a scalar tail after the last whole vector; quantized rows are whole blocks of 32,
 * which every vector size divides.
 *
 * <p>Written for C2, which only emits vector instructions when the species is a constant where a vector is made:
 * <ul>
 * <li>every method takes and returns scalars, arrays and segments only, never a vector, and calls no helper that
 *     does: whether C2 inlines a kernel into its caller or compiles it on its own, no vector is ever boxed (a helper
 *     left out of inlining, e.g. for lack of node budget in a big caller, would return heap-allocated vectors);</li>
 * <li>the quantized kernels switch on the lane count with literal part numbers, because {@code convertShape}'s
 *     part must be a constant too; with a constant species the switch folds away.</li>
 * </ul>
 * Hence the binary16 decoding is spelled out where it is used rather than shared.
 *
 * <p>Binary16 is widened with integer operations (the Vector API has no half-float conversion): exponent and
 * mantissa move into binary32 position and a multiply by 2^112 rebiases the exponent, which also turns subnormals
 * into the right normal floats; infinities and NaNs get the all-ones exponent back explicitly.
 */
final class WeightKernels {
    private static final int BLOCK = 32;
    private static final int Q8_BLOCK_BYTES = 34;
    private static final int Q4_BLOCK_BYTES = 18;
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
            case Q8_0 -> dotQ8(simd, w, offset, x, xOff, n);
            case Q4_0 -> dotQ4(simd, w, offset, x, xOff, n);
            // CpuPlan rejects every other type at compile time, naming the tensor.
            default -> throw new IllegalArgumentException(CpuVectorBackend.NAME + " has no kernel for " + type);
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
            IntVector bits = (IntVector) ShortVector.fromMemorySegment(simd.shorts(), w, offset + 2L * i, ORDER)
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
            FloatVector value = ((IntVector) ShortVector.fromMemorySegment(simd.shorts(), w, offset + 2L * i, ORDER)
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
     * Q8_0: per block, sum the 32 products q*x in float lanes, then scale the block sum once by d. The quants are
     * loaded as two 128-bit halves: widening parts of a wider byte vector needs cross-lane byte shuffles that AVX2
     * lacks, and C2 would fall back to scalar code.
     */
    static float dotQ8(Simd simd, MemorySegment w, long offset, float[] x, int xOff, int n) {
        VectorSpecies<Float> fs = simd.floats();
        FloatVector acc = FloatVector.zero(fs);
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * Q8_BLOCK_BYTES;
            int xi = xOff + b * BLOCK;
            ByteVector lo = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, w, block + 2, ORDER);
            ByteVector hi = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, w, block + 18, ORDER);
            FloatVector sum;
            switch (fs.length()) {
                case 16 -> sum = ((FloatVector) hi.convertShape(B2F, fs, 0)).fma(FloatVector.fromArray(fs, x, xi + 16),
                        ((FloatVector) lo.convertShape(B2F, fs, 0)).mul(FloatVector.fromArray(fs, x, xi)));
                case 8 -> {
                    FloatVector s0 = ((FloatVector) lo.convertShape(B2F, fs, 0))
                            .mul(FloatVector.fromArray(fs, x, xi));
                    FloatVector s1 = ((FloatVector) lo.convertShape(B2F, fs, 1))
                            .mul(FloatVector.fromArray(fs, x, xi + 8));
                    s0 = ((FloatVector) hi.convertShape(B2F, fs, 0)).fma(FloatVector.fromArray(fs, x, xi + 16), s0);
                    s1 = ((FloatVector) hi.convertShape(B2F, fs, 1)).fma(FloatVector.fromArray(fs, x, xi + 24), s1);
                    sum = s0.add(s1);
                }
                default -> {
                    FloatVector s0 = ((FloatVector) lo.convertShape(B2F, fs, 0))
                            .mul(FloatVector.fromArray(fs, x, xi));
                    FloatVector s1 = ((FloatVector) lo.convertShape(B2F, fs, 1))
                            .mul(FloatVector.fromArray(fs, x, xi + 4));
                    s0 = ((FloatVector) lo.convertShape(B2F, fs, 2)).fma(FloatVector.fromArray(fs, x, xi + 8), s0);
                    s1 = ((FloatVector) lo.convertShape(B2F, fs, 3)).fma(FloatVector.fromArray(fs, x, xi + 12), s1);
                    s0 = ((FloatVector) hi.convertShape(B2F, fs, 0)).fma(FloatVector.fromArray(fs, x, xi + 16), s0);
                    s1 = ((FloatVector) hi.convertShape(B2F, fs, 1)).fma(FloatVector.fromArray(fs, x, xi + 20), s1);
                    s0 = ((FloatVector) hi.convertShape(B2F, fs, 2)).fma(FloatVector.fromArray(fs, x, xi + 24), s0);
                    s1 = ((FloatVector) hi.convertShape(B2F, fs, 3)).fma(FloatVector.fromArray(fs, x, xi + 28), s1);
                    sum = s0.add(s1);
                }
            }
            acc = sum.fma(FloatVector.broadcast(fs, Float.float16ToFloat(w.get(SHORT, block))), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Q4_0: byte j of a block holds element j (low nibble) and element j + 16 (high nibble), both offset by 8. */
    static float dotQ4(Simd simd, MemorySegment w, long offset, float[] x, int xOff, int n) {
        VectorSpecies<Float> fs = simd.floats();
        FloatVector acc = FloatVector.zero(fs);
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * Q4_BLOCK_BYTES;
            int xi = xOff + b * BLOCK;
            ByteVector packed = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, w, block + 2, ORDER);
            ByteVector lo = packed.and((byte) 0x0F).sub((byte) 8);
            ByteVector hi = packed.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
            FloatVector sum;
            switch (fs.length()) {
                case 16 -> sum = ((FloatVector) hi.convertShape(B2F, fs, 0)).fma(FloatVector.fromArray(fs, x, xi + 16),
                        ((FloatVector) lo.convertShape(B2F, fs, 0)).mul(FloatVector.fromArray(fs, x, xi)));
                case 8 -> {
                    FloatVector s0 = ((FloatVector) lo.convertShape(B2F, fs, 0))
                            .mul(FloatVector.fromArray(fs, x, xi));
                    FloatVector s1 = ((FloatVector) lo.convertShape(B2F, fs, 1))
                            .mul(FloatVector.fromArray(fs, x, xi + 8));
                    s0 = ((FloatVector) hi.convertShape(B2F, fs, 0)).fma(FloatVector.fromArray(fs, x, xi + 16), s0);
                    s1 = ((FloatVector) hi.convertShape(B2F, fs, 1)).fma(FloatVector.fromArray(fs, x, xi + 24), s1);
                    sum = s0.add(s1);
                }
                default -> {
                    FloatVector s0 = ((FloatVector) lo.convertShape(B2F, fs, 0))
                            .mul(FloatVector.fromArray(fs, x, xi));
                    FloatVector s1 = ((FloatVector) lo.convertShape(B2F, fs, 1))
                            .mul(FloatVector.fromArray(fs, x, xi + 4));
                    s0 = ((FloatVector) lo.convertShape(B2F, fs, 2)).fma(FloatVector.fromArray(fs, x, xi + 8), s0);
                    s1 = ((FloatVector) lo.convertShape(B2F, fs, 3)).fma(FloatVector.fromArray(fs, x, xi + 12), s1);
                    s0 = ((FloatVector) hi.convertShape(B2F, fs, 0)).fma(FloatVector.fromArray(fs, x, xi + 16), s0);
                    s1 = ((FloatVector) hi.convertShape(B2F, fs, 1)).fma(FloatVector.fromArray(fs, x, xi + 20), s1);
                    s0 = ((FloatVector) hi.convertShape(B2F, fs, 2)).fma(FloatVector.fromArray(fs, x, xi + 24), s0);
                    s1 = ((FloatVector) hi.convertShape(B2F, fs, 3)).fma(FloatVector.fromArray(fs, x, xi + 28), s1);
                    sum = s0.add(s1);
                }
            }
            acc = sum.fma(FloatVector.broadcast(fs, Float.float16ToFloat(w.get(SHORT, block))), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Decodes {@code n} elements stored at {@code offset} into {@code dst[dstOff..]} (embedding rows). */
    static void decode(Simd simd, DType type, MemorySegment w, long offset, float[] dst, int dstOff, int n) {
        switch (type) {
            case F32 -> MemorySegment.copy(w, FLOAT, offset, dst, dstOff, n);
            case F16 -> decodeF16(simd, w, offset, dst, dstOff, n);
            case BF16 -> decodeBF16(simd, w, offset, dst, dstOff, n);
            case Q8_0, Q4_0 -> decodeBlocks(simd, type == DType.Q4_0, w, offset, dst, dstOff, n);
            default -> throw new IllegalArgumentException(CpuVectorBackend.NAME + " has no kernel for " + type);
        }
    }

    static void decodeF16(Simd simd, MemorySegment w, long offset, float[] dst, int dstOff, int n) {
        int lanes = simd.floats().length();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            IntVector bits = (IntVector) ShortVector.fromMemorySegment(simd.shorts(), w, offset + 2L * i, ORDER)
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
            ((IntVector) ShortVector.fromMemorySegment(simd.shorts(), w, offset + 2L * i, ORDER)
                    .convertShape(S2I, simd.ints(), 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats()
                    .intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = Float.intBitsToFloat(w.get(SHORT, offset + 2L * i) << 16);
        }
    }

    /** Q8_0 or Q4_0 blocks, unpacked to signed bytes as in the dot kernels, then scaled by their d. */
    private static void decodeBlocks(Simd simd, boolean nibbles, MemorySegment w, long offset, float[] dst,
                                     int dstOff, int n) {
        VectorSpecies<Float> fs = simd.floats();
        int blockBytes = nibbles ? Q4_BLOCK_BYTES : Q8_BLOCK_BYTES;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * blockBytes;
            int at = dstOff + b * BLOCK;
            ByteVector lo;
            ByteVector hi;
            if (nibbles) {
                ByteVector packed = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, w, block + 2, ORDER);
                lo = packed.and((byte) 0x0F).sub((byte) 8);
                hi = packed.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
            } else {
                lo = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, w, block + 2, ORDER);
                hi = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, w, block + 18, ORDER);
            }
            float d = Float.float16ToFloat(w.get(SHORT, block));
            switch (fs.length()) {
                case 16 -> {
                    ((FloatVector) lo.convertShape(B2F, fs, 0)).mul(d).intoArray(dst, at);
                    ((FloatVector) hi.convertShape(B2F, fs, 0)).mul(d).intoArray(dst, at + 16);
                }
                case 8 -> {
                    ((FloatVector) lo.convertShape(B2F, fs, 0)).mul(d).intoArray(dst, at);
                    ((FloatVector) lo.convertShape(B2F, fs, 1)).mul(d).intoArray(dst, at + 8);
                    ((FloatVector) hi.convertShape(B2F, fs, 0)).mul(d).intoArray(dst, at + 16);
                    ((FloatVector) hi.convertShape(B2F, fs, 1)).mul(d).intoArray(dst, at + 24);
                }
                default -> {
                    ((FloatVector) lo.convertShape(B2F, fs, 0)).mul(d).intoArray(dst, at);
                    ((FloatVector) lo.convertShape(B2F, fs, 1)).mul(d).intoArray(dst, at + 4);
                    ((FloatVector) lo.convertShape(B2F, fs, 2)).mul(d).intoArray(dst, at + 8);
                    ((FloatVector) lo.convertShape(B2F, fs, 3)).mul(d).intoArray(dst, at + 12);
                    ((FloatVector) hi.convertShape(B2F, fs, 0)).mul(d).intoArray(dst, at + 16);
                    ((FloatVector) hi.convertShape(B2F, fs, 1)).mul(d).intoArray(dst, at + 20);
                    ((FloatVector) hi.convertShape(B2F, fs, 2)).mul(d).intoArray(dst, at + 24);
                    ((FloatVector) hi.convertShape(B2F, fs, 3)).mul(d).intoArray(dst, at + 28);
                }
            }
        }
    }

    /** {@code acc[i] += p * v[i]} over {@code n} F32 elements stored at {@code offset} (KV cache rows). */
    static void addScaledF32(Simd simd, MemorySegment v, long offset, float p, float[] acc, int n) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector.fromMemorySegment(fs, v, offset + 4L * i, ORDER)
                    .fma(FloatVector.broadcast(fs, p), FloatVector.fromArray(fs, acc, i)).intoArray(acc, i);
        }
        for (; i < n; i++) {
            acc[i] += p * v.get(FLOAT, offset + 4L * i);
        }
    }

    /** {@code acc[i] += p * v[i]} over {@code n} F16 elements stored at {@code offset} (KV cache rows). */
    static void addScaledF16(Simd simd, MemorySegment v, long offset, float p, float[] acc, int n) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            IntVector bits = (IntVector) ShortVector.fromMemorySegment(simd.shorts(), v, offset + 2L * i, ORDER)
                    .convertShape(S2I, simd.ints(), 0);
            IntVector magnitude = bits.and(HALF_MAGNITUDE);
            IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
            shifted.reinterpretAsFloats().mul(HALF_REBIAS).reinterpretAsInts()
                    .blend(shifted.or(FLOAT_INFINITY), magnitude.compare(VectorOperators.GE, HALF_INFINITY))
                    .or(bits.and(HALF_SIGN).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                    .fma(FloatVector.broadcast(fs, p), FloatVector.fromArray(fs, acc, i)).intoArray(acc, i);
        }
        for (; i < n; i++) {
            acc[i] += p * Float.float16ToFloat(v.get(SHORT, offset + 2L * i));
        }
    }
}
