package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles graphs into static schedules for simulated LPU chips and runs them with the chips' numerics. Weights are
 * re-expressed for the chip when a graph is compiled, because how they are cut depends on how the graph is laid
 * over the chips.
 */
final class LpuBackend implements Backend {
    static final String NAME = "lpu-sim";

    private final LpuConfig config;
    private final int chips;
    private final Path tracePath;
    private final LpuStats stats;
    private final List<LpuPlan> plans = new ArrayList<>();

    LpuBackend(LpuConfig config, int chips, Path tracePath) {
        this.config = config;
        this.chips = chips;
        this.tracePath = tracePath;
        this.stats = new LpuStats(config, tracePath == null ? null : new TraceWriter(config, 200_000));
    }

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
        return new LpuWeights(weights);
    }

    @Override
    public Plan compile(Graph graph, LoadedWeights weights, int maxBatch) {
        if (!(weights instanceof LpuWeights w)) {
            throw new IllegalArgumentException("weights were loaded by another backend: " + weights);
        }
        graph.checkWeights(w.weights()::tensor);
        ModelIr ir = ModelIr.fromGraph(graph, w.weights()::tensor, "the model");
        Mapping mapping = Partitioner.map(ir, config, chips, 0, 2, maxBatch);
        ChipNumerics numerics = new ChipNumerics(graph, ir, mapping.tensorParallel(), w.weights(), maxBatch);
        LpuPlan plan = new LpuPlan(graph, mapping, config, numerics, stats, maxBatch);
        synchronized (plans) {
            plans.add(plan);
        }
        return plan;
    }

    @Override
    public KvCache newKvCache(KvCacheSpec spec) {
        LpuKvCache cache = new LpuKvCache(spec);
        synchronized (plans) {
            for (LpuPlan plan : plans) {
                plan.mapping().checkKvCache(spec.capacity(), cache.elementBytes(), config);
            }
        }
        return cache;
    }

    @Override
    public Map<String, String> report() {
        Map<String, String> r = new LinkedHashMap<>(stats.report());
        if (tracePath != null) {
            r.put("lpu.trace", tracePath + " (written when the model closes)");
        }
        return r;
    }

    @Override
    public void close() {
        if (tracePath != null) {
            try {
                Files.writeString(tracePath, stats.traceJson());
            } catch (IOException e) {
                throw new Infer4jException("cannot write the LPU trace to " + tracePath + ": " + e.getMessage(), e);
            }
        }
    }

    record LpuWeights(Weights weights) implements LoadedWeights {
        @Override
        public void close() {
        }
    }
}
