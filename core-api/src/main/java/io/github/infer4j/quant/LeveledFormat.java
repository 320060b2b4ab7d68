package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/**
 * A quantized format whose elements are integer levels, every {@link #subBlockSize()} consecutive elements sharing
 * a scale and an offset: element {@code i} of sub-block {@code s} is {@code scales[s] * levels[i] + offsets[s]}.
 * Evaluated in float, that is exactly what {@link #dequantize} gives (a zero may differ in sign). It lets a backend
 * rewrite a file's blocks into a layout of its own, e.g. for integer dot products, without knowing how the format
 * packs them: the format stays the only place that knows its bytes.
 */
public interface LeveledFormat extends BlockFormat {
    /** Elements of one stored block: 32, or 256 for the K-quants. */
    int blockSize();

    /** Elements sharing one scale and offset: 32, or 16 for Q6_K. Divides {@link #blockSize()}. */
    int subBlockSize();

    /** The lowest and highest level {@link #levels} can return. */
    int minLevel();

    int maxLevel();

    /**
     * Reads the block at byte {@code offset}: the level of its element {@code i} into {@code levels[i]}, and the
     * scale and offset of its sub-block {@code s} into {@code scales[s]} and {@code offsets[s]}.
     */
    void levels(MemorySegment data, long offset, int[] levels, float[] scales, float[] offsets);
}
