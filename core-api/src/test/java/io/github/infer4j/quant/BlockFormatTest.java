package io.github.infer4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infer4j.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlockFormatTest {
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void q8_0BlockDecodesToScaleTimesSignedBytes() {
        MemorySegment block = MemorySegment.ofArray(new byte[34]);
        block.set(LE_SHORT, 0, (short) 0x3800); // binary16 0.5
        for (int j = 0; j < 32; j++) {
            block.set(ValueLayout.JAVA_BYTE, 2 + j, (byte) (j * 8 - 128));
        }
        float[] out = new float[32];
        Q8_0Format.INSTANCE.dequantize(block, 0, out, 0, 32);
        for (int j = 0; j < 32; j++) {
            assertThat(out[j]).isEqualTo((j * 8 - 128) * 0.5f);
        }
    }

    @Test
    void q4_0BlockKeepsFirstHalfInLowNibbles() {
        MemorySegment block = MemorySegment.ofArray(new byte[18]);
        block.set(LE_SHORT, 0, (short) 0xC000); // binary16 -2.0
        for (int j = 0; j < 16; j++) {
            block.set(ValueLayout.JAVA_BYTE, 2 + j, (byte) (j | ((15 - j) << 4)));
        }
        float[] out = new float[32];
        Q4_0Format.INSTANCE.dequantize(block, 0, out, 0, 32);
        for (int j = 0; j < 16; j++) {
            assertThat(out[j]).as("element %d", j).isEqualTo((j - 8) * -2f);
            assertThat(out[j + 16]).as("element %d", j + 16).isEqualTo((15 - j - 8) * -2f);
        }
    }

    @Test
    void q4_0QuantizesLikeGgmlReference() {
        // Values -16..15: the signed extreme is -16, so d = -16 / -8 = 2 and x = -16 lands on level 0.
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = j - 16;
        }
        MemorySegment block = MemorySegment.ofArray(new byte[18]);
        Q4_0Format.INSTANCE.quantize(x, 0, 32, block, 0);
        assertThat(Float.float16ToFloat(block.get(LE_SHORT, 0))).isEqualTo(2f);
        for (int j = 0; j < 16; j++) {
            int packed = block.get(ValueLayout.JAVA_BYTE, 2 + j) & 0xFF;
            assertThat(packed & 0x0F).as("level of %s", x[j]).isEqualTo(expectedQ4Level(x[j] / 2f));
            assertThat(packed >> 4).as("level of %s", x[j + 16]).isEqualTo(expectedQ4Level(x[j + 16] / 2f));
        }
        // Spot values worked out by hand from ggml's formula min(15, (int)(x/d + 8.5)).
        assertThat(block.get(ValueLayout.JAVA_BYTE, 2) & 0x0F).isZero();           // -16 -> 0
        assertThat(block.get(ValueLayout.JAVA_BYTE, 2 + 1) & 0x0F).isEqualTo(1);   // -15 -> 1 (tie rounds up)
        assertThat((block.get(ValueLayout.JAVA_BYTE, 2 + 15) & 0xFF) >> 4).isEqualTo(15); // 15 -> 16, clamped
    }

    private static int expectedQ4Level(float scaled) {
        return Math.min(15, (int) Math.floor(scaled + 8.5));
    }

    @Test
    void q8_0QuantizesLikeGgmlReference() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = (j - 16) * 0.125f;
        }
        x[5] = 127f * 0.03125f; // amax = 3.96875 -> d = 0.03125 exactly, so every x / d is known
        MemorySegment block = MemorySegment.ofArray(new byte[34]);
        Q8_0Format.INSTANCE.quantize(x, 0, 32, block, 0);
        assertThat(Float.float16ToFloat(block.get(LE_SHORT, 0))).isEqualTo(0.03125f);
        assertThat(block.get(ValueLayout.JAVA_BYTE, 2 + 5)).isEqualTo((byte) 127);
        assertThat(block.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) -64);    // -2 / 0.03125
        assertThat(block.get(ValueLayout.JAVA_BYTE, 2 + 17)).isEqualTo((byte) 4);   // 0.125 / 0.03125
    }

    @Test
    void q8_0RoundsTiesAwayFromZero() {
        float[] x = new float[32];
        x[0] = 127f;   // d = 1
        x[1] = 2.5f;   // roundf -> 3 (Math.rint would give 2)
        x[2] = -2.5f;  // roundf -> -3
        x[3] = 0.49999997f;
        MemorySegment block = MemorySegment.ofArray(new byte[34]);
        Q8_0Format.INSTANCE.quantize(x, 0, 32, block, 0);
        assertThat(block.get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) 3);
        assertThat(block.get(ValueLayout.JAVA_BYTE, 4)).isEqualTo((byte) -3);
        assertThat(block.get(ValueLayout.JAVA_BYTE, 5)).isEqualTo((byte) 0);
    }

    @Test
    void bf16RoundsToNearestEvenAndKeepsNaN() {
        assertThat(BF16Format.fromFloat(1f)).isEqualTo((short) 0x3F80);
        // 1 + 2^-8 is exactly halfway between two bfloat16 values: ties go to the even one (1.0).
        assertThat(BF16Format.fromFloat(1f + 0x1p-8f)).isEqualTo((short) 0x3F80);
        // 1 + 3*2^-8 is halfway too, and the even neighbour is above.
        assertThat(BF16Format.fromFloat(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3F82);
        assertThat(BF16Format.fromFloat(1f + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3F81);
        // A NaN whose payload sits only in the low half must not become infinity.
        float lowPayloadNaN = Float.intBitsToFloat(0x7F800001);
        assertThat(BF16Format.toFloat(BF16Format.fromFloat(lowPayloadNaN))).isNaN();
        assertThat(BF16Format.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7F80);
        assertThat(BF16Format.toFloat((short) 0xC040)).isEqualTo(-3f);
    }

    @Test
    void f16UsesIeeeHalfPrecision() {
        MemorySegment seg = MemorySegment.ofArray(new byte[4]);
        F16Format.INSTANCE.quantize(new float[] {1f, -65504f}, 0, 2, seg, 0);
        assertThat(seg.get(LE_SHORT, 0)).isEqualTo((short) 0x3C00);
        assertThat(seg.get(LE_SHORT, 2)).isEqualTo((short) 0xFBFF);
        assertThat(seg.get(ValueLayout.JAVA_BYTE, 0)).as("little-endian").isZero();
    }

    @Test
    void f32IsLittleEndian() {
        MemorySegment seg = MemorySegment.ofArray(new byte[4]);
        F32Format.INSTANCE.quantize(new float[] {1f}, 0, 1, seg, 0);
        assertThat(seg.toArray(ValueLayout.JAVA_BYTE)).containsExactly(0, 0, (byte) 0x80, 0x3F);
    }

    /**
     * Round-trip bounds, derived from each quantizer. With s the binary16-rounded scale that is stored and d the
     * exact one the quantizer divided by:
     * Q8_0: d = amax/127 and q = roundf(x/d), so |x - q*d| <= d/2 = amax/254; storing s adds |q|*|s - d| <= 127|s - d|.
     * Q4_0 / Q5_0: d = m/-8 (m/-16) with m the signed extreme, level = min(top, floor(x/d + 8.5)) (+16.5), so
     * |x - (level-8)*d| <= |d|/2, except where x/d >= 7.5 (15.5) hits the clamp, which costs up to |d|; storing s
     * adds 8|s - d| (16|s - d|).
     * Q4_1 / Q5_1: d = (max - min)/15 (/31) and level = floor((x - min)/d + 0.5) never needs the clamp, so
     * |x - (level*d + min)| <= d/2; storing s and the binary16 min m' adds 15|s - d| (31|s - d|) + |m' - min|.
     * Q4_K / Q5_K / Q6_K: ggml fits each sub-block's scale (and min) by a weighted search and then rounds the scales
     * to 6 (8) bits against the super-block's largest, so the error is not bounded by the sub-block's own range.
     * It is bounded by one step of a plain quantizer spanning the whole super-block, R/nmax, with R = max(x, 0) -
     * min(x, 0) and nmax = 15 / 31 for Q4_K / Q5_K, and R = 2 amax, nmax = 63 for Q6_K. That bound is empirical,
     * not proven (the search may clip): over 15000 super-blocks of Gaussian, outlier, zero-run, one-signed and
     * mixed-magnitude data the largest error seen was 0.86, 0.91 and 0.59 of it.
     * F16 / BF16: half an ulp of the result, relative 2^-11 / 2^-8 for normal numbers. F32 is exact.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void quantizeThenDequantizeStaysWithinTheFormatsBound(DType type) {
        int n = 256 * 4;
        for (long seed : new long[] {42, 7, 2024}) {
            float[] x = roundTripSample(new Random(seed), n);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = arena.allocate(type.bytesFor(n) + 3).asSlice(3); // deliberately unaligned
                type.format().quantize(x, 0, n, seg, 0);
                float[] y = new float[n];
                type.format().dequantize(seg, 0, y, 0, n);
                for (int i = 0; i < n; i++) {
                    assertThat(Math.abs(y[i] - x[i])).as("%s seed %d element %d: %s vs %s", type, seed, i, y[i], x[i])
                            .isLessThanOrEqualTo(bound(type, x, i, seg));
                }
            }
        }
    }

    /** Gaussian values with a tiny block, a run of zeros and two outliers. */
    private static float[] roundTripSample(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * (i < 32 ? 1e-6 : 3.0));
        }
        Arrays.fill(x, 256, 320, 0f);
        x[600] = 80f;
        x[700 + random.nextInt(50)] = -120f;
        return x;
    }

    private static float bound(DType type, float[] x, int i, MemorySegment seg) {
        int block = i / type.blockSize();
        int start = block * type.blockSize();
        long at = (long) block * type.blockBytes();
        float amax = 0f;
        float max = 0f;
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int j = start; j < start + type.blockSize(); j++) {
            if (Math.abs(x[j]) > amax) {
                amax = Math.abs(x[j]);
                max = x[j];
            }
            lo = Math.min(lo, x[j]);
            hi = Math.max(hi, x[j]);
        }
        float v = x[i];
        float slack = 1e-6f * amax;
        return switch (type) {
            case F32 -> 0f;
            case F16 -> Math.abs(v) * 0x1p-11f + 0x1p-25f;
            case BF16 -> Math.abs(v) * 0x1p-8f;
            case Q8_0 -> {
                float d = amax / 127f;
                yield amax / 254f + 127f * Math.abs(half(seg, at) - d) + slack;
            }
            case Q4_0, Q5_0 -> {
                float levels = type == DType.Q4_0 ? 8f : 16f;
                float d = max / -levels;
                float rounding = v / d >= levels - 0.5f ? Math.abs(d) : Math.abs(d) / 2f;
                yield rounding + levels * Math.abs(half(seg, at) - d) + slack;
            }
            case Q4_1, Q5_1 -> {
                float top = type == DType.Q4_1 ? 15f : 31f;
                float d = (hi - lo) / top;
                yield d / 2f + top * Math.abs(half(seg, at) - d) + Math.abs(half(seg, at + 2) - lo) + slack;
            }
            case Q4_K -> (Math.max(hi, 0f) - Math.min(lo, 0f)) / 15f + slack;
            case Q5_K -> (Math.max(hi, 0f) - Math.min(lo, 0f)) / 31f + slack;
            case Q6_K -> 2f * amax / 63f + slack;
        };
    }

    private static float half(MemorySegment seg, long at) {
        return Float.float16ToFloat(seg.get(LE_SHORT, at));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void dotEqualsSumOfDequantizedProducts(DType type) {
        Random random = new Random(7);
        int n = 256 * 3;
        float[] w = new float[n];
        float[] x = new float[n + 5];
        for (int i = 0; i < n; i++) {
            w[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) type.bytesFor(n) + 2 * type.blockBytes()]);
        long offset = type.blockBytes(); // start at the second block to check offsets are honoured
        type.format().quantize(w, 0, n, seg, offset);
        float[] y = new float[n];
        type.format().dequantize(seg, offset, y, 0, n);
        double expected = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            expected += (double) y[i] * x[i + 5];
            magnitude += Math.abs((double) y[i] * x[i + 5]);
        }
        float dot = type.format().dot(seg, offset, x, 5, n);
        // Float accumulation over n terms: error grows at most like n * 2^-24 * sum|terms|.
        assertThat((double) dot).isCloseTo(expected, within(magnitude * n * 0x1p-24));
    }

    @Test
    void blockSizesMatchGgml() {
        assertThat(DType.Q8_0.bytesFor(32 * 3)).isEqualTo(3 * 34);
        assertThat(DType.Q4_0.bytesFor(32 * 5)).isEqualTo(5 * 18);
        assertThat(DType.Q4_1.bytesFor(32 * 5)).isEqualTo(5 * 20);
        assertThat(DType.Q5_0.bytesFor(32 * 5)).isEqualTo(5 * 22);
        assertThat(DType.Q5_1.bytesFor(32 * 5)).isEqualTo(5 * 24);
        assertThat(DType.Q4_K.bytesFor(256 * 3)).isEqualTo(3 * 144);
        assertThat(DType.Q5_K.bytesFor(256 * 3)).isEqualTo(3 * 176);
        assertThat(DType.Q6_K.bytesFor(256 * 3)).isEqualTo(3 * 210);
        assertThat(DType.F16.bytesFor(7)).isEqualTo(14);
        assertThat(DType.BF16.bytesFor(7)).isEqualTo(14);
        assertThat(DType.F32.bytesFor(7)).isEqualTo(28);
        assertThatThrownBy(() -> DType.Q4_K.bytesFor(32 * 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 256");
        // Blocks follow each other without padding: quantizing three blocks writes exactly 3*34 bytes.
        MemorySegment seg = MemorySegment.ofArray(new byte[3 * 34 + 1]);
        seg.set(ValueLayout.JAVA_BYTE, 3 * 34, (byte) 0x5A);
        float[] ones = new float[96];
        Arrays.fill(ones, 1f);
        Q8_0Format.INSTANCE.quantize(ones, 0, 96, seg, 0);
        assertThat(seg.get(ValueLayout.JAVA_BYTE, 3 * 34)).isEqualTo((byte) 0x5A);
        assertThat(seg.get(ValueLayout.JAVA_BYTE, 2 * 34 + 2)).isEqualTo((byte) 127);
    }

    @Test
    void ggmlIdsRoundTrip() {
        assertThat(DType.fromGgmlId(3)).isEqualTo(DType.Q4_1);
        assertThat(DType.fromGgmlId(6)).isEqualTo(DType.Q5_0);
        assertThat(DType.fromGgmlId(7)).isEqualTo(DType.Q5_1);
        assertThat(DType.fromGgmlId(12)).isEqualTo(DType.Q4_K);
        assertThat(DType.fromGgmlId(13)).isEqualTo(DType.Q5_K);
        assertThat(DType.fromGgmlId(14)).isEqualTo(DType.Q6_K);
        assertThat(DType.fromGgmlId(11)).as("Q3_K is not supported").isNull();
        for (DType t : DType.values()) {
            assertThat(DType.fromGgmlId(t.ggmlId())).isEqualTo(t);
        }
    }
}
