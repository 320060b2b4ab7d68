package io.github.infer4j.backend.cpu;

import io.github.infer4j.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/** The integer-lane F16 and BF16 decoding against the JDK's scalar conversion, for each of the 65536 codes. */
class HalfDecodingTest {
    @ParameterizedTest(name = "{0}-bit")
    @ValueSource(ints = {128, 256, 512})
    void decodesEveryHalfFloatCode(int bits) {
        Simd simd = Simd.withBits(bits);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = allCodes(arena);
            float[] halfs = new float[65536];
            float[] brains = new float[65536];
            WeightKernels.decode(simd, DType.F16, codes, 0, halfs, 0, 65536);
            WeightKernels.decode(simd, DType.BF16, codes, 0, brains, 0, 65536);
            for (int code = 0; code < 65536; code++) {
                float half = Float.float16ToFloat((short) code);
                float brain = Float.intBitsToFloat(code << 16);
                assertSameFloat("F16", code, half, halfs[code]);
                assertSameFloat("BF16", code, brain, brains[code]);
            }
        }
    }

    /** Bit for bit, signed zeros and subnormals included; NaN payloads may differ (the JDK quiets them). */
    private static void assertSameFloat(String type, int code, float expected, float actual) {
        if (Float.isNaN(expected)) {
            assertThat(actual).as("%s code %04x", type, code).isNaN();
        } else {
            assertThat(Float.floatToRawIntBits(actual)).as("%s code %04x", type, code)
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    private static MemorySegment allCodes(Arena arena) {
        MemorySegment codes = arena.allocate(2 * 65536);
        for (int code = 0; code < 65536; code++) {
            codes.set(Layouts.SHORT, 2L * code, (short) code);
        }
        return codes;
    }
}
