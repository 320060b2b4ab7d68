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
 * Keys and values off-heap, laid out {@code [layer][keys | values][position][kv head][head dim]} so that one
 * position of one head is a contiguous run the attention kernels read as a vector row. F16 entries are rounded to
 * nearest even when stored, as the reference does. The arena is shared because worker threads read it.
 */
final class CpuKvCache implements KvCache {
    private final CpuVectorBackend backend;
    private final KvCacheSpec spec;
    private final Arena arena;
    private final MemorySegment data;
    private final boolean half;
    private final int width;
    private final long rowBytes;
    private final long layerBytes;
    private volatile boolean open = true;

    CpuKvCache(CpuVectorBackend backend, KvCacheSpec spec) {
        this.backend = backend;
        this.spec = spec;
        this.half = spec.type() == DType.F16;
        this.width = spec.kvHeads() * spec.headDim();
        this.rowBytes = (long) width * spec.type().blockBytes();
        this.layerBytes = 2 * rowBytes * spec.capacity();
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

    /** Bytes between consecutive positions of one layer's keys (or values). */
    long rowBytes() {
        return rowBytes;
    }

    long keyOffset(int layer, int position) {
        return layer * layerBytes + position * rowBytes;
    }

    long valueOffset(int layer, int position) {
        return layer * layerBytes + layerBytes / 2 + position * rowBytes;
    }

    /** Stores one position's keys {@code k[kOff..]} and values {@code v[vOff..]}. */
    void store(int layer, int position, float[] k, int kOff, float[] v, int vOff) {
        long keys = keyOffset(layer, position);
        long values = valueOffset(layer, position);
        if (half) {
            for (int i = 0; i < width; i++) {
                data.set(SHORT, keys + 2L * i, Float.floatToFloat16(k[kOff + i]));
                data.set(SHORT, values + 2L * i, Float.floatToFloat16(v[vOff + i]));
            }
        } else {
            MemorySegment.copy(k, kOff, data, FLOAT, keys, width);
            MemorySegment.copy(v, vOff, data, FLOAT, values, width);
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
