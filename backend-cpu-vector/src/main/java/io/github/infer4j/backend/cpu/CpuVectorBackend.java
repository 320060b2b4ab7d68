package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.DType;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Vector API kernels over weights read in place, with one worker pool shared by every plan of the backend. */
final class CpuVectorBackend implements Backend {
    static final String NAME = "cpu-vector";
    private static final Set<DType> WEIGHT_TYPES = Collections.unmodifiableSet(EnumSet.allOf(DType.class));

    private final Simd simd;
    private final WorkerPool pool;
    private final Set<CpuKvCache> caches = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    CpuVectorBackend(BackendOptions options) {
        String bits = options.get(CpuVectorBackendProvider.VECTOR_BITS, null);
        this.simd = bits == null ? Simd.preferred()
                : Simd.withBits(options.getInt(CpuVectorBackendProvider.VECTOR_BITS, 0));
        int threads = options.threads();
        if (threads > WorkerPool.MAX_CHUNKS / 4) {
            throw new Infer4jException("option infer4j.threads must be at most " + WorkerPool.MAX_CHUNKS / 4
                    + ", got " + threads);
        }
        this.pool = new WorkerPool(threads);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<DType> supportedWeightTypes() {
        return WEIGHT_TYPES;
    }

    @Override
    public LoadedWeights load(Weights weights) {
        ensureOpen();
        return new CpuWeights(this, weights);
    }

    @Override
    public Plan compile(Graph graph, LoadedWeights weights, int maxBatch) {
        ensureOpen();
        if (!(weights instanceof CpuWeights w) || w.backend() != this) {
            throw new Infer4jException("weights were not loaded by this " + NAME + " backend: " + weights);
        }
        if (maxBatch < 1) {
            throw new Infer4jException("maximum batch must be at least 1, got " + maxBatch);
        }
        return new CpuPlan(this, graph, w, maxBatch);
    }

    @Override
    public KvCache newKvCache(KvCacheSpec spec) {
        ensureOpen();
        CpuKvCache cache = new CpuKvCache(this, spec);
        caches.add(cache);
        return cache;
    }

    Simd simd() {
        return simd;
    }

    WorkerPool pool() {
        return pool;
    }

    void forget(CpuKvCache cache) {
        caches.remove(cache);
    }

    void ensureOpen() {
        if (closed) {
            throw new Infer4jException("the " + NAME + " backend is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
        for (CpuKvCache cache : caches) {
            cache.close();
        }
    }

    @Override
    public String toString() {
        return NAME + "[" + simd + " vectors, " + pool.size() + " threads]";
    }
}
