package io.github.infer4j.spi;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.tensor.DType;

import java.util.Map;
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

    /**
     * Figures worth showing a user after a run, name to text, in display order: a simulator's simulated timing,
     * a device's name, counters. Empty unless a backend has something to say; read it through
     * {@link io.github.infer4j.Model#backendReport()}.
     */
    default Map<String, String> report() {
        return Map.of();
    }

    /** Releases threads and memory; plans, caches and weights of this backend are unusable afterwards. */
    @Override
    void close();
}
