package io.github.infer4j.backend.cpu;

import io.github.infer4j.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integer-lane F16 and BF16 decoding against the JDK's scalar conversion, for each of the 65536 codes, in every
 * kernel that decodes (they spell the decoding out separately, see {@link WeightKernels}).
 */
class HalfDecodingTest {
    private static final int CODES = 65536;

    @ParameterizedTest(name = "{0}-bit")
    @ValueSource(ints = {128, 256, 512})
    void decodesEveryCodeLikeTheJdk(int bits) {
        Simd simd = Simd.withBits(bits);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = allCodes(arena);
            float[] halfs = new float[CODES];
            float[] brains = new float[CODES];
            WeightKernels.decode(simd, DType.F16, codes, 0, halfs, 0, CODES);
            WeightKernels.decode(simd, DType.BF16, codes, 0, brains, 0, CODES);
            for (int code = 0; code < CODES; code++) {
                assertSameFloat("F16", code, Float.float16ToFloat((short) code), halfs[code], true);
                assertSameFloat("BF16", code, Float.intBitsToFloat(code << 16), brains[code], true);
            }
        }
    }

    /** Dot products with a one-hot vector give back each value exactly. */
    @ParameterizedTest(name = "{0}-bit")
    @ValueSource(ints = {128, 256, 512})
    void multipliesEveryCodeExactly(int bits) {
        Simd simd = Simd.withBits(bits);
        int lanes = simd.floats().length();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment single = arena.allocate(2L * lanes);
            float[] oneHot = new float[lanes];
            oneHot[0] = 1f;
            for (int code = 0; code < CODES; code++) {
                float expected = Float.float16ToFloat((short) code);
                single.set(Layouts.SHORT, 0, (short) code);
                assertSameFloat("F16 dot", code, expected, WeightKernels.dotF16(simd, single, 0, oneHot, 0, lanes),
                        false);
                assertSameFloat("BF16 dot", code, Float.intBitsToFloat(code << 16),
                        WeightKernels.dotBF16(simd, single, 0, oneHot, 0, lanes), false);
            }
        }
    }

    /**
     * Bit for bit, subnormals included; NaN payloads may differ (the JDK quiets them), and so may the sign of zero
     * where the value went through {@code 0 + (-0)}.
     */
    private static void assertSameFloat(String what, int code, float expected, float actual, boolean signedZero) {
        if (Float.isNaN(expected)) {
            assertThat(actual).as("%s code %04x", what, code).isNaN();
        } else if (expected == 0 && !signedZero) {
            assertThat(actual).as("%s code %04x", what, code).isZero();
        } else {
            assertThat(Float.floatToRawIntBits(actual)).as("%s code %04x", what, code)
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    private static MemorySegment allCodes(Arena arena) {
        MemorySegment codes = arena.allocate(2L * CODES);
        for (int code = 0; code < CODES; code++) {
            codes.set(Layouts.SHORT, 2L * code, (short) code);
        }
        return codes;
    }
}
