package io.github.infer4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Q4_K, Q5_K and Q6_K super-blocks built byte by byte from chosen scales, mins and levels, and inputs whose ggml
 * quantization is known exactly. The layouts are written out here from ggml's block structs, independently of the
 * formats under test.
 */
class KQuantFormatsTest {
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final short HALF_0_25 = 0x3400;
    private static final short HALF_0_5 = 0x3800;

    /** Eight 6-bit scales and mins, with values of 16 and more so that the top-bit packing is exercised. */
    private static final int[] SC = {1, 17, 33, 63, 5, 20, 40, 62};
    private static final int[] M = {0, 1, 62, 15, 16, 31, 32, 63};
    /** SC and M packed as ggml packs them (worked out by hand from get_scale_min_k4). */
    private static final int[] PACKED_SCALES = {0x01, 0x51, 0xA1, 0xFF, 0x40, 0x41, 0xBE, 0xCF, 0x05, 0xF4, 0x08, 0xFE};

    /** Q4_K / Q5_K header: d = 0.5, dmin = 0.25, the packed scales. */
    private static MemorySegment scaleMinBlock(int bytes) {
        MemorySegment block = MemorySegment.ofArray(new byte[bytes]);
        block.set(LE_SHORT, 0, HALF_0_5);
        block.set(LE_SHORT, 2, HALF_0_25);
        for (int k = 0; k < 12; k++) {
            block.set(ValueLayout.JAVA_BYTE, 4 + k, (byte) PACKED_SCALES[k]);
        }
        return block;
    }

    /**
     * 128 bytes of nibbles: byte 32c + l holds l mod 16 (low) and 15 - l mod 16 (high); the low nibbles are
     * sub-block 2c, the high ones sub-block 2c + 1.
     */
    private static void putNibbles(MemorySegment block, long at) {
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) {
                block.set(ValueLayout.JAVA_BYTE, at + 32 * c + l, (byte) ((l & 15) | ((15 - (l & 15)) << 4)));
            }
        }
    }

    private static int nibble(int s, int l) {
        return s % 2 == 0 ? l & 15 : 15 - (l & 15);
    }

    @Test
    void q4_KElementIsScaledLevelMinusScaledMin() {
        MemorySegment block = scaleMinBlock(144);
        putNibbles(block, 16);
        float[] out = new float[256];
        Q4_KFormat.INSTANCE.dequantize(block, 0, out, 0, 256);
        for (int s = 0; s < 8; s++) {
            for (int l = 0; l < 32; l++) {
                assertThat(out[32 * s + l]).as("sub-block %d element %d", s, l)
                        .isEqualTo(0.5f * SC[s] * nibble(s, l) - 0.25f * M[s]);
            }
        }
        assertThat(out[32 + 3]).isEqualTo(101.75f);          // 0.5*17*12 - 0.25*1
        assertThat(out[3 * 32 + 10]).isEqualTo(153.75f);     // 0.5*63*5 - 0.25*15
        assertThat(out[6 * 32 + 9]).isEqualTo(172f);         // 0.5*40*9 - 0.25*32
        assertThat(out[7 * 32 + 31]).isEqualTo(-15.75f);     // level 0: -0.25*63
    }

    @Test
    void q5_KTakesTheFifthBitOfSubBlockSFromBitSOfQh() {
        MemorySegment block = scaleMinBlock(176);
        for (int l = 0; l < 32; l++) {
            block.set(ValueLayout.JAVA_BYTE, 16 + l, (byte) l); // qh[l] = l: sub-block s gets bit s of l
        }
        putNibbles(block, 48);
        float[] out = new float[256];
        Q5_KFormat.INSTANCE.dequantize(block, 0, out, 0, 256);
        for (int s = 0; s < 8; s++) {
            for (int l = 0; l < 32; l++) {
                int level = nibble(s, l) + 16 * ((l >> s) & 1);
                assertThat(out[32 * s + l]).as("sub-block %d element %d", s, l)
                        .isEqualTo(0.5f * SC[s] * level - 0.25f * M[s]);
            }
        }
        assertThat(out[32 + 3]).isEqualTo(237.75f);          // level 12 + 16: 0.5*17*28 - 0.25
        assertThat(out[4 * 32 + 16]).isEqualTo(36f);         // level 0 + 16: 0.5*5*16 - 0.25*16
        assertThat(out[7 * 32 + 31]).isEqualTo(-15.75f);     // bit 7 of 31 is clear: level 0
    }

    /** Sixteen signed scales, including both extremes of int8. */
    private static final int[] Q6_SCALES = {-128, 127, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, -8, -16, 32, 64};

    @Test
    void q6_KElementIsScaleTimesSixBitLevelMinus32() {
        // Level of element i is i mod 64; written per ggml's block_q6_K: ql[128], qh[64], scales[16], d.
        MemorySegment block = MemorySegment.ofArray(new byte[210]);
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int[] q = new int[4];
                for (int k = 0; k < 4; k++) {
                    q[k] = (128 * h + 32 * k + l) % 64;
                }
                block.set(ValueLayout.JAVA_BYTE, 64 * h + l, (byte) ((q[0] & 15) | ((q[2] & 15) << 4)));
                block.set(ValueLayout.JAVA_BYTE, 64 * h + 32 + l, (byte) ((q[1] & 15) | ((q[3] & 15) << 4)));
                block.set(ValueLayout.JAVA_BYTE, 128 + 32 * h + l,
                        (byte) ((q[0] >> 4) | ((q[1] >> 4) << 2) | ((q[2] >> 4) << 4) | ((q[3] >> 4) << 6)));
            }
        }
        for (int s = 0; s < 16; s++) {
            block.set(ValueLayout.JAVA_BYTE, 192 + s, (byte) Q6_SCALES[s]);
        }
        block.set(LE_SHORT, 208, HALF_0_5);
        float[] out = new float[256];
        Q6_KFormat.INSTANCE.dequantize(block, 0, out, 0, 256);
        for (int i = 0; i < 256; i++) {
            assertThat(out[i]).as("element %d", i).isEqualTo(0.5f * Q6_SCALES[i / 16] * (i % 64 - 32));
        }
        assertThat(out[0]).isEqualTo(2048f);                 // 0.5 * -128 * (0 - 32)
        assertThat(out[31]).isEqualTo(-63.5f);               // 0.5 * 127 * (31 - 32): sub-block 1
        assertThat(out[47]).isEqualTo(-7.5f);                // 0.5 * -1 * (47 - 32): top bits in qh[15] bits 2-3
        assertThat(out[63]).isZero();                        // scale 0
        assertThat(out[255]).isEqualTo(992f);                // 0.5 * 64 * 31
    }

    @Test
    void q4_KQuantizesLevelRampsWithFullScalesAndZeroMins() {
        assertLevelRampsQuantizeExactly(Q4_KFormat.INSTANCE, 144, 16);
    }

    @Test
    void q5_KQuantizesLevelRampsWithFullScalesAndZeroMins() {
        assertLevelRampsQuantizeExactly(Q5_KFormat.INSTANCE, 176, 32);
    }

    /**
     * Each sub-block holds every level {@code 0..levels-1} (twice for 16 levels): ggml's fit is exact (scale 1,
     * min 0), so every scale quantizes to 63, every min to 0, and d = 1/63 in binary16; the levels are the values.
     */
    private static void assertLevelRampsQuantizeExactly(BlockFormat format, int blockBytes, int levels) {
        float[] x = new float[256];
        for (int i = 0; i < 256; i++) {
            x[i] = (i * 7) % levels;
        }
        MemorySegment block = MemorySegment.ofArray(new byte[blockBytes]);
        format.quantize(x, 0, 256, block, 0);
        assertThat(block.get(LE_SHORT, 0)).isEqualTo(Float.floatToFloat16(1f / 63f));
        assertThat(block.get(LE_SHORT, 2)).isEqualTo((short) 0);
        assertThat(block.asSlice(4, 12).toArray(ValueLayout.JAVA_BYTE)).containsExactly(
                -1, -1, -1, -1, 0, 0, 0, 0, 0x0F, 0x0F, 0x0F, 0x0F);
        float step = Float.float16ToFloat(Float.floatToFloat16(1f / 63f)) * 63f;
        float[] y = new float[256];
        format.dequantize(block, 0, y, 0, 256);
        for (int i = 0; i < 256; i++) {
            assertThat(y[i]).as("element %d", i).isEqualTo(step * x[i]);
        }
    }

    @Test
    void q6_KQuantizesIntegersWhoseExtremeIsMinus32Exactly() {
        // Every sub-block's signed extreme is -32, so each fitted scale is exactly 1, the super-block scale is
        // -1/128 and every sub-block scale -128: d * sc = 1 and the integers come back unchanged.
        float[] x = new float[256];
        for (int i = 0; i < 256; i++) {
            x[i] = i % 16 == 5 ? -32 : (i * 11) % 63 - 31;
        }
        MemorySegment block = MemorySegment.ofArray(new byte[210]);
        Q6_KFormat.INSTANCE.quantize(x, 0, 256, block, 0);
        assertThat(block.get(LE_SHORT, 208)).isEqualTo((short) 0xA000); // binary16 -1/128
        for (int s = 0; s < 16; s++) {
            assertThat(block.get(ValueLayout.JAVA_BYTE, 192 + s)).as("scale %d", s).isEqualTo((byte) -128);
        }
        float[] y = new float[256];
        Q6_KFormat.INSTANCE.dequantize(block, 0, y, 0, 256);
        assertThat(y).containsExactly(x);
    }

    @Test
    void zeroSuperBlocksQuantizeToZeroBytes() {
        float[] x = new float[512];
        x[300] = 1f; // the second super-block is not all zero
        for (var format : new BlockFormat[] {Q4_KFormat.INSTANCE, Q5_KFormat.INSTANCE, Q6_KFormat.INSTANCE}) {
            int bytes = format == Q4_KFormat.INSTANCE ? 144 : format == Q5_KFormat.INSTANCE ? 176 : 210;
            MemorySegment seg = MemorySegment.ofArray(new byte[2 * bytes]);
            seg.fill((byte) 0x77);
            format.quantize(x, 0, 512, seg, 0);
            assertThat(seg.asSlice(0, bytes).toArray(ValueLayout.JAVA_BYTE)).as("%s", format).containsOnly(0);
            float[] y = new float[512];
            format.dequantize(seg, 0, y, 0, 512);
            for (int i = 0; i < 256; i++) {
                assertThat(y[i]).isZero();
            }
            assertThat(y[300]).as("%s", format).isCloseTo(1f, within(0.01f));
        }
    }
}
