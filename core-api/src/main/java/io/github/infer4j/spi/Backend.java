package io.github.infer4j.spi;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.tensor.DType;

import java.util.Set;

/**
 * A place where graphs run. The life cycle fits eager CPUs, ahead-of-time scheduled accelerators and GPUs alike:
 * weights are handed over once ({@link #load}), the whole step is known before the first token ({@link #compile}),
 * and the KV cache is allocated by the backend so it can live in device memory.
 */
public interface Backend extends AutoCloseable {
    String name();

    /** Weight types this backend computes with; loading others is an error. */
    Set<DType> supportedWeightTypes();

    /** Takes the weights a graph will read; the backend may keep them in place, repack them or copy them. */
    LoadedWeights load(Weights weights);

    /** Turns the graph into an executable plan for batches of up to {@code maxBatch} tokens. */
    Plan compile(Graph graph, LoadedWeights weights, int maxBatch);

    KvCache newKvCache(KvCacheSpec spec);

    /** Releases threads and memory; plans, caches and weights of this backend are unusable afterwards. */
    @Override
    void close();
}
