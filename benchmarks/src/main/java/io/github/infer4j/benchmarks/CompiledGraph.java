package io.github.infer4j.benchmarks;

import io.github.infer4j.backend.cpu.CpuVectorBackendProvider;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.DType;

import java.util.HashMap;
import java.util.Map;

/**
 * A graph compiled by cpu-vector over weights built in the benchmark, with its KV cache: the kernels stay private
 * to the backend and are measured through the SPI, as a model uses them. Inputs enter a graph only through embedding
 * lookups, so each benchmark's graph starts with one (the embed benchmark gives its cost on its own).
 */
final class CompiledGraph implements AutoCloseable {
    private final Backend backend;
    private final LoadedWeights loaded;
    private final Plan plan;
    private final KvCache cache;
    private final int[] tokens;
    private final int[] positions;
    private final float[] out;
    private final int vocab;

    /**
     * {@code threads} 0 means every processor, {@code vectorBits} 0 the hardware's vector size; {@code vocab} is the
     * row count of the embedding tables the graph reads its inputs from.
     */
    CompiledGraph(Graph graph, Weights weights, int maxBatch, KvCacheSpec kv, int threads, int vectorBits, int vocab) {
        Map<String, String> options = new HashMap<>();
        if (threads > 0) {
            options.put(BackendOptions.THREADS, Integer.toString(threads));
        }
        if (vectorBits > 0) {
            options.put(CpuVectorBackendProvider.VECTOR_BITS, Integer.toString(vectorBits));
        }
        this.backend = new CpuVectorBackendProvider().create(new BackendOptions(options));
        this.loaded = backend.load(weights);
        this.plan = backend.compile(graph, loaded, maxBatch);
        this.cache = backend.newKvCache(kv);
        this.tokens = new int[maxBatch];
        this.positions = new int[maxBatch];
        this.out = new float[maxBatch * graph.output().width()];
        this.vocab = vocab;
    }

    /** A cache spec for graphs without attention, which still need one to run. */
    static KvCacheSpec noCache() {
        return new KvCacheSpec(1, 1, 1, 1, DType.F32);
    }

    /** Runs {@code count} tokens at positions {@code first..first+count-1}; returns the output for the JIT to keep. */
    float[] run(int count, int first) {
        for (int i = 0; i < count; i++) {
            tokens[i] = (first + i) % vocab;
            positions[i] = first + i;
        }
        plan.run(tokens, positions, count, cache, out);
        return out;
    }

    @Override
    public void close() {
        cache.close();
        plan.close();
        loaded.close();
        backend.close();
    }
}
