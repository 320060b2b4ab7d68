package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.tensor.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.infer4j.backend.cpu.Layouts.FLOAT;
import static io.github.infer4j.backend.cpu.Layouts.SHORT;

/**
 * Keys and values off-heap, per layer and KV head, in the order {@link AttentionStep} reads them: keys transposed,
 * {@code [dim][position]}, so that one dimension of a run of positions is a contiguous vector (scores of many
 * positions come out of one multiply-add per dimension, with no sums across lanes); values
 * {@code [position][dim]}, so that one position is a contiguous row. F16 entries are rounded to nearest even when
 * stored, as the reference does. The arena is shared because worker threads read it.
 */
final class CpuKvCache implements KvCache {
    private final CpuVectorBackend backend;
    private final KvCacheSpec spec;
    private final Arena arena;
    private final MemorySegment data;
    private final boolean half;
    private final int headDim;
    private final int elementBytes;
    private final long headBytes;
    private final long layerBytes;
    private volatile boolean open = true;

    CpuKvCache(CpuVectorBackend backend, KvCacheSpec spec) {
        this.backend = backend;
        this.spec = spec;
        this.half = spec.type() == DType.F16;
        this.headDim = spec.headDim();
        this.elementBytes = spec.type().blockBytes();
        this.headBytes = (long) headDim * spec.capacity() * elementBytes;
        this.layerBytes = 2 * headBytes * spec.kvHeads();
        this.arena = Arena.ofShared();
        try {
            this.data = arena.allocate(spec.byteSize(), 64);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            arena.close();
            throw new Infer4jException("cannot allocate a KV cache of " + spec.byteSize() + " bytes for " + spec, e);
        }
    }

    @Override
    public KvCacheSpec spec() {
        return spec;
    }

    boolean half() {
        return half;
    }

    MemorySegment data() {
        return data;
    }

    boolean usableBy(CpuVectorBackend owner) {
        return open && backend == owner;
    }

    /** Where the transposed keys of {@code head} start: dimension {@code d} of position {@code p} is element
     *  {@code d * capacity + p}. */
    long keys(int layer, int head) {
        return layer * layerBytes + head * headBytes;
    }

    /** Where the values of {@code head} start: dimension {@code d} of position {@code p} is element
     *  {@code p * headDim + d}. */
    long values(int layer, int head) {
        return layer * layerBytes + (spec.kvHeads() + head) * headBytes;
    }

    /** Stores one position's keys {@code k[kOff..]} and values {@code v[vOff..]}, all KV heads side by side. */
    void store(int layer, int position, float[] k, int kOff, float[] v, int vOff) {
        long keyStride = (long) spec.capacity() * elementBytes;
        for (int h = 0; h < spec.kvHeads(); h++) {
            long key = keys(layer, h) + (long) position * elementBytes;
            long value = values(layer, h) + (long) position * headDim * elementBytes;
            int from = h * headDim;
            for (int d = 0; d < headDim; d++) {
                if (half) {
                    data.set(SHORT, key + d * keyStride, Float.floatToFloat16(k[kOff + from + d]));
                    data.set(SHORT, value + 2L * d, Float.floatToFloat16(v[vOff + from + d]));
                } else {
                    data.set(FLOAT, key + d * keyStride, k[kOff + from + d]);
                    data.set(FLOAT, value + 4L * d, v[vOff + from + d]);
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
        }
        backend.forget(this);
        arena.close();
    }

    @Override
    public String toString() {
        return "CpuKvCache" + spec;
    }
}
