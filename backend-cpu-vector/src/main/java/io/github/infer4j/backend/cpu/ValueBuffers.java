package io.github.infer4j.backend.cpu;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.Op;
import io.github.infer4j.graph.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gives every value of a graph a float array, reusing an array once the last op reading its value has run: a model
 * has a few values per layer and dozens of layers, but only a handful are alive at any time. An op's output never
 * shares an array with its own inputs because inputs are released only after the output is placed.
 */
final class ValueBuffers {
    private ValueBuffers() {
    }

    /**
     * Arrays indexed by value id (arrays repeat), each big enough for {@code maxBatch} rows of its value, for the ops
     * of {@code graph} run in the order {@code ops} (the graph's order, or one a plan chose).
     */
    static float[][] assign(Graph graph, List<Op> ops, int maxBatch) {
        int[] lastUse = new int[graph.valueCount()];
        Arrays.fill(lastUse, -1);
        for (int i = 0; i < ops.size(); i++) {
            for (Value in : ops.get(i).inputs()) {
                lastUse[in.id()] = i;
            }
        }
        lastUse[graph.output().id()] = Integer.MAX_VALUE;

        int[] slotOf = new int[graph.valueCount()];
        List<Integer> sizes = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Value out = ops.get(i).out();
            int size = Math.multiplyExact(out.singleRow() ? 1 : maxBatch, out.width());
            int slot = pick(free, sizes, size);
            if (slot < 0) {
                slot = sizes.size();
                sizes.add(size);
            } else {
                free.remove(Integer.valueOf(slot));
                sizes.set(slot, Math.max(size, sizes.get(slot)));
            }
            slotOf[out.id()] = slot;
            for (Value in : ops.get(i).inputs()) {
                release(free, slotOf[in.id()], lastUse[in.id()] == i);
            }
            release(free, slot, lastUse[out.id()] < 0);
        }

        float[][] arrays = new float[sizes.size()][];
        for (int s = 0; s < arrays.length; s++) {
            arrays[s] = new float[sizes.get(s)];
        }
        float[][] byValue = new float[graph.valueCount()][];
        for (Op op : ops) {
            byValue[op.out().id()] = arrays[slotOf[op.out().id()]];
        }
        return byValue;
    }

    /** The free slot that fits {@code size} most tightly, else the largest free one (to be grown), else -1. */
    private static int pick(List<Integer> free, List<Integer> sizes, int size) {
        int best = -1;
        for (int slot : free) {
            int have = sizes.get(slot);
            if (best < 0) {
                best = slot;
                continue;
            }
            int bestHave = sizes.get(best);
            boolean fits = have >= size;
            boolean bestFits = bestHave >= size;
            if (fits && (!bestFits || have < bestHave) || !fits && !bestFits && have > bestHave) {
                best = slot;
            }
        }
        return best;
    }

    private static void release(List<Integer> free, int slot, boolean dead) {
        if (dead && !free.contains(slot)) {
            free.add(slot);
        }
    }
}
