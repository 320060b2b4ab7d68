package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference of one element type: the only place that knows that type's block layout. Offsets are in
 * bytes into {@code data} and must be at a block boundary; {@code n} is an element count and a multiple of the
 * block size. Plain Java, no vectors: every backend is checked against these.
 */
public interface BlockFormat {
    /** Dequantizes {@code n} elements starting at byte {@code offset} into {@code dst[dstOff..]}. */
    void dequantize(MemorySegment data, long offset, float[] dst, int dstOff, int n);

    /** Dot product of {@code n} stored elements with {@code x[xOff..]}, accumulated in float like ggml's reference. */
    float dot(MemorySegment data, long offset, float[] x, int xOff, int n);

    /** Quantizes {@code n} floats from {@code src[srcOff..]} into {@code dst} at byte {@code offset}, as ggml does. */
    void quantize(float[] src, int srcOff, int n, MemorySegment dst, long offset);
}
