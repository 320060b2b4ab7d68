package io.github.infer4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Q4_1, Q5_0 and Q5_1 blocks built byte by byte, and inputs whose ggml quantization is known exactly. */
class SmallBlockFormatsTest {
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final short HALF_0_25 = 0x3400;
    private static final short HALF_0_5 = 0x3800;
    private static final short HALF_MINUS_1 = (short) 0xBC00;
    private static final short HALF_2 = 0x4000;
    /** Fifth bits for Q5 blocks: the little-endian word 0xF00F5AA5. */
    private static final byte[] QH = {(byte) 0xA5, 0x5A, 0x0F, (byte) 0xF0};

    /** Byte j holds level j in its low nibble (element j) and 15 - j in its high nibble (element j + 16). */
    private static void putRampNibbles(MemorySegment block, long at) {
        for (int j = 0; j < 16; j++) {
            block.set(ValueLayout.JAVA_BYTE, at + j, (byte) (j | ((15 - j) << 4)));
        }
    }

    private static int rampNibble(int i) {
        return i < 16 ? i : 15 - (i - 16);
    }

    private static int fifthBit(int i) {
        return (QH[i / 8] >> (i % 8)) & 1;
    }

    @Test
    void q4_1BlockIsScaleTimesLevelPlusMin() {
        MemorySegment block = MemorySegment.ofArray(new byte[20]);
        block.set(LE_SHORT, 0, HALF_0_5);
        block.set(LE_SHORT, 2, HALF_MINUS_1);
        putRampNibbles(block, 4);
        float[] out = new float[32];
        Q4_1Format.INSTANCE.dequantize(block, 0, out, 0, 32);
        for (int i = 0; i < 32; i++) {
            assertThat(out[i]).as("element %d", i).isEqualTo(rampNibble(i) * 0.5f - 1f);
        }
        assertThat(out[3]).isEqualTo(0.5f);      // level 3
        assertThat(out[16]).isEqualTo(6.5f);     // level 15, from the high nibble of byte 0
    }

    @Test
    void q5_0BlockTakesFifthBitsFromTheWord() {
        MemorySegment block = MemorySegment.ofArray(new byte[22]);
        block.set(LE_SHORT, 0, HALF_0_25);
        MemorySegment.copy(MemorySegment.ofArray(QH), 0, block, 2, 4);
        putRampNibbles(block, 6);
        float[] out = new float[32];
        Q5_0Format.INSTANCE.dequantize(block, 0, out, 0, 32);
        for (int i = 0; i < 32; i++) {
            assertThat(out[i]).as("element %d", i).isEqualTo((rampNibble(i) + 16 * fifthBit(i) - 16) * 0.25f);
        }
        assertThat(out[0]).isEqualTo(0f);        // nibble 0, bit 0 of 0xA5 set: level 16
        assertThat(out[1]).isEqualTo(-3.75f);    // nibble 1, bit 1 clear: level 1
        assertThat(out[16]).isEqualTo(3.75f);    // nibble 15, bit 16 (0x0F bit 0) set: level 31
        assertThat(out[31]).isEqualTo(0f);       // nibble 0, bit 31 (0xF0 bit 7) set: level 16
    }

    @Test
    void q5_1BlockIsScaleTimesFiveBitLevelPlusMin() {
        MemorySegment block = MemorySegment.ofArray(new byte[24]);
        block.set(LE_SHORT, 0, HALF_2);
        block.set(LE_SHORT, 2, HALF_0_5);
        MemorySegment.copy(MemorySegment.ofArray(QH), 0, block, 4, 4);
        putRampNibbles(block, 8);
        float[] out = new float[32];
        Q5_1Format.INSTANCE.dequantize(block, 0, out, 0, 32);
        for (int i = 0; i < 32; i++) {
            assertThat(out[i]).as("element %d", i).isEqualTo((rampNibble(i) + 16 * fifthBit(i)) * 2f + 0.5f);
        }
        assertThat(out[16]).isEqualTo(62.5f);    // level 31
        assertThat(out[1]).isEqualTo(2.5f);      // level 1
    }

    @Test
    void q4_1QuantizesAGridExactly() {
        // Values -1 .. 2.75 in steps of 0.25: min -1, d = 3.75 / 15 = 0.25, so every value is a level.
        float[] x = new float[32];
        for (int i = 0; i < 32; i++) {
            x[i] = 0.25f * (i % 16) - 1f;
        }
        MemorySegment block = MemorySegment.ofArray(new byte[20]);
        Q4_1Format.INSTANCE.quantize(x, 0, 32, block, 0);
        assertThat(block.get(LE_SHORT, 0)).isEqualTo(HALF_0_25);
        assertThat(block.get(LE_SHORT, 2)).isEqualTo(HALF_MINUS_1);
        for (int j = 0; j < 16; j++) {
            assertThat(block.get(ValueLayout.JAVA_BYTE, 4 + j)).as("byte %d", j).isEqualTo((byte) (j | (j << 4)));
        }
        float[] y = new float[32];
        Q4_1Format.INSTANCE.dequantize(block, 0, y, 0, 32);
        assertThat(y).containsExactly(x);
    }

    @Test
    void q5_0QuantizesIntegersExactly() {
        // -16 .. 15: the signed extreme -16 gives d = 1 and level = x + 16.
        float[] x = new float[32];
        for (int i = 0; i < 32; i++) {
            x[i] = i - 16;
        }
        MemorySegment block = MemorySegment.ofArray(new byte[22]);
        Q5_0Format.INSTANCE.quantize(x, 0, 32, block, 0);
        assertThat(Float.float16ToFloat(block.get(LE_SHORT, 0))).isEqualTo(1f);
        assertThat(block.asSlice(2, 4).toArray(ValueLayout.JAVA_BYTE))
                .containsExactly(0, 0, (byte) 0xFF, (byte) 0xFF); // levels 16..31 are elements 16..31
        for (int j = 0; j < 16; j++) {
            assertThat(block.get(ValueLayout.JAVA_BYTE, 6 + j)).as("byte %d", j).isEqualTo((byte) (j | (j << 4)));
        }
        float[] y = new float[32];
        Q5_0Format.INSTANCE.dequantize(block, 0, y, 0, 32);
        assertThat(y).containsExactly(x);
    }

    @Test
    void q5_1QuantizesAGridExactly() {
        // -4 .. 11.5 in steps of 0.5: min -4, d = 15.5 / 31 = 0.5, level = 2(x + 4) = i.
        float[] x = new float[32];
        for (int i = 0; i < 32; i++) {
            x[i] = 0.5f * i - 4f;
        }
        MemorySegment block = MemorySegment.ofArray(new byte[24]);
        Q5_1Format.INSTANCE.quantize(x, 0, 32, block, 0);
        assertThat(block.get(LE_SHORT, 0)).isEqualTo(HALF_0_5);
        assertThat(Float.float16ToFloat(block.get(LE_SHORT, 2))).isEqualTo(-4f);
        assertThat(block.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE)).containsExactly(0, 0, (byte) 0xFF, (byte) 0xFF);
        float[] y = new float[32];
        Q5_1Format.INSTANCE.dequantize(block, 0, y, 0, 32);
        assertThat(y).containsExactly(x);
    }

    @Test
    void q4_1KeepsTheSignOfAZeroMinimumAsGgmlDoes() {
        // All zeros with a -0.0 first: ggml's "v < min" never replaces the first value, so min stays -0.0.
        float[] x = new float[32];
        x[0] = -0f;
        MemorySegment block = MemorySegment.ofArray(new byte[20]);
        Q4_1Format.INSTANCE.quantize(x, 0, 32, block, 0);
        assertThat(block.get(LE_SHORT, 2)).isEqualTo((short) 0x8000);
        x[0] = 0f;
        x[1] = -0f;
        Q4_1Format.INSTANCE.quantize(x, 0, 32, block, 0);
        assertThat(block.get(LE_SHORT, 2)).isEqualTo((short) 0);
    }
}
