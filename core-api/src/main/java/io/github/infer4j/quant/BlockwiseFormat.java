package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/**
 * A quantized format stored as a row of independent blocks, each {@code blockElements} elements in
 * {@code blockBytes} bytes. This class only walks the row block by block; what is inside a block stays with each
 * format, which implements the three per-block steps.
 */
abstract class BlockwiseFormat implements BlockFormat {
    private final int blockElements;
    private final int blockBytes;

    BlockwiseFormat(int blockElements, int blockBytes) {
        this.blockElements = blockElements;
        this.blockBytes = blockBytes;
    }

    /** Elements of one block; see {@link LeveledFormat#blockSize()}, which the leveled formats answer with it. */
    public final int blockSize() {
        return blockElements;
    }

    @Override
    public final void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / blockElements; b++) {
            dequantizeBlock(data, offset + (long) b * blockBytes, dst, dstOff + b * blockElements);
        }
    }

    @Override
    public final float dot(MemorySegment data, long offset, float[] x, int xOff, int n) {
        float sum = 0f;
        for (int b = 0; b < n / blockElements; b++) {
            sum = dotBlock(data, offset + (long) b * blockBytes, x, xOff + b * blockElements, sum);
        }
        return sum;
    }

    @Override
    public final void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset) {
        BlockQuantizer quantizer = newQuantizer();
        for (int b = 0; b < n / blockElements; b++) {
            quantizer.quantizeBlock(src, srcOff + b * blockElements, dst, offset + (long) b * blockBytes);
        }
    }

    /** Writes the block at byte {@code block} as floats into {@code dst[out..]}. */
    abstract void dequantizeBlock(MemorySegment data, long block, float[] dst, int out);

    /**
     * Returns {@code sum} plus the dot product of the block at byte {@code block} with {@code x[in..]}. The running
     * sum comes in because the formats follow ggml in where they round: some add each product to it, others add
     * up the block first and then scale it once.
     */
    abstract float dotBlock(MemorySegment data, long block, float[] x, int in, float sum);

    /**
     * What quantizes the blocks of one {@link #quantize} call. Some quantizers keep scratch arrays, and a format's
     * single instance is shared by every thread, so each call gets its own; a quantizer without state can be a
     * static method.
     */
    abstract BlockQuantizer newQuantizer();

    @FunctionalInterface
    interface BlockQuantizer {
        /** Quantizes {@code src[in..]} into the block at byte {@code block} of {@code dst}. */
        void quantizeBlock(float[] src, int in, MemorySegment dst, long block);
    }
}
