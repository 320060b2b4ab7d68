package io.github.infer4j.reference;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.DType;

import java.util.EnumSet;
import java.util.Set;

/**
 * Plain scalar Java execution of a graph, one op at a time, with the {@link io.github.infer4j.quant.BlockFormat}
 * references doing all weight arithmetic. It is the oracle of the backend conformance kit and runs anywhere,
 * slowly; real work belongs on an accelerated backend.
 */
public final class ReferenceBackend implements Backend {
    static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<DType> supportedWeightTypes() {
        return EnumSet.allOf(DType.class);
    }

    @Override
    public LoadedWeights load(Weights weights) {
        return new ReferenceWeights(weights);
    }

    @Override
    public Plan compile(Graph graph, LoadedWeights weights, int maxBatch) {
        if (!(weights instanceof ReferenceWeights w)) {
            throw new IllegalArgumentException("weights were loaded by another backend: " + weights);
        }
        return new ReferencePlan(graph, w.weights(), maxBatch);
    }

    @Override
    public KvCache newKvCache(KvCacheSpec spec) {
        return new ReferenceKvCache(spec);
    }

    @Override
    public void close() {
    }

    record ReferenceWeights(Weights weights) implements LoadedWeights {
        @Override
        public void close() {
        }
    }
}
