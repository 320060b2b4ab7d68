package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.Plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph compiled for the simulated chips. Each call takes the static schedule for its batch size and KV length
 * (compiled on first use), executes the graph's ops in the order that schedule completes them, with the chips'
 * numerics, and adds the schedule's cycles to the backend's {@link LpuStats}.
 */
final class LpuPlan implements Plan {
    private final Graph graph;
    private final Mapping mapping;
    private final LpuConfig config;
    private final ChipNumerics numerics;
    private final LpuStats stats;
    private final int maxBatch;
    private final Map<Integer, LpuProgram> programs = new HashMap<>();
    private final Map<TokenTiming, int[]> orders = new HashMap<>();

    LpuPlan(Graph graph, Mapping mapping, LpuConfig config, ChipNumerics numerics, LpuStats stats, int maxBatch) {
        this.graph = graph;
        this.mapping = mapping;
        this.config = config;
        this.numerics = numerics;
        this.stats = stats;
        this.maxBatch = maxBatch;
    }

    Mapping mapping() {
        return mapping;
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
        if (count < 1 || count > maxBatch) {
            throw new Infer4jException("batch of " + count + " tokens, plan accepts 1.." + maxBatch);
        }
        if (!(cache instanceof LpuKvCache kv)) {
            throw new Infer4jException("the KV cache was not made by the lpu-sim backend: " + cache);
        }
        int last = positions[count - 1];
        LpuProgram program = programs.computeIfAbsent(kv.elementBytes(), bytes -> new LpuProgram(mapping, config, bytes));
        TokenTiming timing = program.time(count, last + 1);
        numerics.run(orders.computeIfAbsent(timing, LpuPlan::completionOrder), tokens, positions, count, kv, out);
        stats.record(timing, mapping);
    }

    /** Graph ops in the order their last instruction completes: a consumer always completes after its inputs. */
    private static int[] completionOrder(TokenTiming timing) {
        List<long[]> ends = new ArrayList<>();
        for (TokenTiming.Part part : timing.parts()) {
            List<Step> program = part.segment().program();
            for (int s = 0; s < program.size(); s++) {
                int op = program.get(s).graphOp();
                if (op >= 0) {
                    ends.add(new long[] {part.offset() + part.schedule().stepEnd(s), op});
                }
            }
        }
        ends.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int[] order = new int[ends.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) ends.get(i)[1];
        }
        return order;
    }

    @Override
    public void close() {
    }
}
