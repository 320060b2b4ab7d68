package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.graph.Add;
import io.github.infer4j.graph.Attention;
import io.github.infer4j.graph.BiasAdd;
import io.github.infer4j.graph.Embed;
import io.github.infer4j.graph.GeGlu;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.HeadRmsNorm;
import io.github.infer4j.graph.LastRow;
import io.github.infer4j.graph.MatMul;
import io.github.infer4j.graph.Op;
import io.github.infer4j.graph.RmsNorm;
import io.github.infer4j.graph.Rope;
import io.github.infer4j.graph.Scale;
import io.github.infer4j.graph.SoftCap;
import io.github.infer4j.graph.SwiGlu;
import io.github.infer4j.graph.Value;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.Plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A graph turned into a list of steps, each bound at compile time to its weight segments and activation arrays, so
 * a call only checks its inputs and runs the steps: nothing is looked up or allocated per token.
 */
final class CpuPlan implements Plan {
    private final CpuVectorBackend backend;
    private final Graph graph;
    private final int maxBatch;
    private final Step[] steps;
    /**
     * The steps a call without output runs: up to the last attention step, which stores the last layer's keys and
     * values. What follows (that layer's feed-forward, the final norm, the output matrix) only feeds the output.
     */
    private final int cacheSteps;
    private final float[] output;
    private final boolean hasAttention;
    private final Batch batch = new Batch();

    CpuPlan(CpuVectorBackend backend, Graph graph, CpuWeights weights, int maxBatch) {
        graph.checkWeights(weights::tensor);
        this.backend = backend;
        this.graph = graph;
        this.maxBatch = maxBatch;
        List<List<Op>> schedule = schedule(graph, weights);
        List<Op> order = new ArrayList<>();
        schedule.forEach(order::addAll);
        float[][] values = ValueBuffers.assign(graph, order, maxBatch);
        this.output = values[graph.output().id()];
        this.steps = bind(backend.simd(), backend.pool(), schedule, weights, values, maxBatch);
        this.hasAttention = graph.attentionLayers() > 0;
        int lastAttention = -1;
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] instanceof AttentionStep) {
                lastAttention = i;
            }
        }
        this.cacheSteps = lastAttention + 1;
    }

    /**
     * The ops in the order they run, in units of one step each: an op alone, or every product with a repacked
     * weight that reads the same value (a layer's query, key and value; its gate and up projections), moved up to
     * the first of them so that its input is quantized once and all its rows go out in one dispatch. Moving a
     * product up is safe because its only input is already computed there.
     */
    private static List<List<Op>> schedule(Graph graph, CpuWeights weights) {
        List<List<Op>> steps = new ArrayList<>();
        Set<Op> taken = new HashSet<>();
        List<Op> ops = graph.ops();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (!taken.add(op)) {
                continue;
            }
            List<Op> step = new ArrayList<>(List.of(op));
            if (op instanceof MatMul m && weights.packed(m.weight()) != null) {
                for (Op later : ops.subList(i + 1, ops.size())) {
                    if (later instanceof MatMul other && other.in().equals(m.in())
                            && weights.packed(other.weight()) != null) {
                        step.add(other);
                        taken.add(other);
                    }
                }
            }
            steps.add(step);
        }
        return steps;
    }

    private static Step[] bind(Simd simd, WorkerPool pool, List<List<Op>> schedule, CpuWeights weights,
                               float[][] values, int maxBatch) {
        List<RopeTables> ropeTables = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (List<Op> group : schedule) {
            Op op = group.getFirst();
            float[] out = values[op.out().id()];
            boolean single = op.out().singleRow();
            steps.add(switch (op) {
                case Embed e -> new EmbedStep(simd, weights.tensor(e.table()), weights.packed(e.table()), out,
                        e.out().width());
                case RmsNorm n -> new RmsNormStep(simd, weights.tensor(n.weight()).data(), n.eps(),
                        values[n.in().id()], out, n.in().width(), 1, single);
                case HeadRmsNorm n -> new RmsNormStep(simd, weights.tensor(n.weight()).data(), n.eps(),
                        values[n.in().id()], out, n.headDim(), n.heads(), single);
                case BiasAdd b -> new BiasAddStep(simd, weights.tensor(b.bias()).data(), values[b.in().id()], out,
                        b.in().width(), single);
                case MatMul m when weights.packed(m.weight()) != null -> quantized(simd, pool, group, weights, values,
                        maxBatch);
                case MatMul m -> new MatMulStep(simd, pool, weights.tensor(m.weight()), values[m.in().id()], out,
                        m.in().width(), m.out().width(), single);
                case Rope r -> new RopeStep(simd, tablesFor(ropeTables, r, maxBatch), r.mode(), values[r.in().id()],
                        out, r.heads(), r.headDim(), r.rotatedPairs(), single);
                case Attention a -> new AttentionStep(simd, pool, a, values[a.q().id()], values[a.k().id()],
                        values[a.v().id()], out, maxBatch);
                case SwiGlu s -> new GatedActivationStep(simd, GatedActivationStep.Activation.SILU,
                        values[s.gate().id()], values[s.up().id()], out, s.out().width(), single);
                case Add a -> new AddStep(simd, values[a.a().id()], values[a.b().id()], out, a.out().width(), single);
                case LastRow l -> new LastRowStep(values[l.in().id()], out, l.in().width(), l.in().singleRow());
                case GeGlu g -> new GatedActivationStep(simd, GatedActivationStep.Activation.GELU_TANH,
                        values[g.gate().id()], values[g.up().id()], out, g.out().width(), single);
                case Scale s -> new ScaleStep(simd, values[s.in().id()], out, s.factor(), s.out().width(), single);
                case SoftCap s -> new SoftCapStep(simd, values[s.in().id()], out, s.cap(), s.out().width(), single);
            });
        }
        return steps.toArray(Step[]::new);
    }

    private static QuantMatMulStep quantized(Simd simd, WorkerPool pool, List<Op> products, CpuWeights weights,
                                             float[][] values, int maxBatch) {
        PackedMatrix[] matrices = new PackedMatrix[products.size()];
        float[][] outs = new float[products.size()][];
        for (int i = 0; i < matrices.length; i++) {
            MatMul m = (MatMul) products.get(i);
            matrices[i] = weights.packed(m.weight());
            outs[i] = values[m.out().id()];
        }
        Value in = ((MatMul) products.getFirst()).in();
        return new QuantMatMulStep(simd, pool, matrices, outs, values[in.id()], in.width(), in.singleRow(), maxBatch);
    }

    private static RopeTables tablesFor(List<RopeTables> shared, Rope rope, int maxBatch) {
        for (RopeTables tables : shared) {
            if (tables.fits(rope)) {
                return tables;
            }
        }
        RopeTables tables = new RopeTables(rope, maxBatch);
        shared.add(tables);
        return tables;
    }

    @Override
    public Graph graph() {
        return graph;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public void run(int[] tokens, int[] positions, int count, KvCache cache, float[] out) {
        backend.ensureOpen();
        if (count < 1 || count > maxBatch) {
            throw new Infer4jException("batch of " + count + " tokens, plan accepts 1.." + maxBatch);
        }
        if (tokens.length < count || positions.length < count) {
            throw new Infer4jException("batch of " + count + " tokens needs as many token ids and positions, got "
                    + tokens.length + " and " + positions.length);
        }
        Value result = graph.output();
        int outLength = (result.singleRow() ? 1 : count) * result.width();
        if (out != null && out.length < outLength) {
            throw new Infer4jException("output array holds " + out.length + " floats, the batch produces "
                    + outLength);
        }
        batch.count = count;
        batch.tokens = tokens;
        batch.positions = positions;
        batch.cache = hasAttention ? ownCache(cache) : null;
        for (Step step : steps) {
            step.check(batch);
        }
        int run = out == null ? cacheSteps : steps.length;
        for (int i = 0; i < run; i++) {
            steps[i].execute(batch);
        }
        if (out != null) {
            System.arraycopy(output, 0, out, 0, outLength);
        }
    }

    private CpuKvCache ownCache(KvCache cache) {
        if (!(cache instanceof CpuKvCache c) || !c.usableBy(backend)) {
            throw new Infer4jException("the KV cache must be an open cache made by this " + CpuVectorBackend.NAME
                    + " backend, got " + cache);
        }
        return c;
    }

    @Override
    public void close() {
    }
}
