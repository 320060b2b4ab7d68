package io.github.infer4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infer4j.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Levels, scales and offsets read from quantized blocks must rebuild exactly what the format dequantizes to, and
 * stay within the level range the format declares: backends repack from them and are tested against dequantize.
 */
class LeveledFormatTest {
    private static final int BLOCKS = 12;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void levelsTimesScalesPlusOffsetsAreTheDequantizedValues(DType type) {
        LeveledFormat format = (LeveledFormat) type.format();
        int block = format.blockSize();
        int sub = format.subBlockSize();
        assertThat(block).isEqualTo(type.blockSize());
        assertThat(block % sub).isZero();
        float[] x = new float[BLOCKS * block];
        Random random = new Random(11);
        for (int i = 0; i < x.length; i++) {
            // Blocks of their own scale, some entirely positive, so offsets and signed extremes both occur.
            x[i] = (float) random.nextGaussian() * (1 + i / block) + (i / block % 3 == 0 ? 4f : 0f);
        }
        MemorySegment data = MemorySegment.ofArray(new byte[BLOCKS * type.blockBytes()]);
        format.quantize(x, 0, x.length, data, 0);
        float[] expected = new float[x.length];
        format.dequantize(data, 0, expected, 0, x.length);

        int[] levels = new int[block];
        float[] scales = new float[block / sub];
        float[] offsets = new float[block / sub];
        Set<Integer> seen = new HashSet<>();
        for (int b = 0; b < BLOCKS; b++) {
            format.levels(data, (long) b * type.blockBytes(), levels, scales, offsets);
            for (int i = 0; i < block; i++) {
                assertThat(levels[i]).as("level of element %d of block %d", i, b)
                        .isBetween(format.minLevel(), format.maxLevel());
                seen.add(levels[i]);
                float rebuilt = scales[i / sub] * levels[i] + offsets[i / sub];
                assertThat(rebuilt == expected[b * block + i])
                        .as("element %d of block %d: %s, dequantized %s", i, b, rebuilt, expected[b * block + i])
                        .isTrue();
            }
        }
        assertThat(seen).as("levels used").contains(format.minLevel(), format.maxLevel());
    }
}
