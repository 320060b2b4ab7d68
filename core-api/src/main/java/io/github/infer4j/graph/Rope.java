package io.github.infer4j.graph;

import java.util.List;

/**
 * Rotary position embedding applied to each of {@code heads} heads of {@code headDim} in every row, at that row's
 * position. Pair {@code i} (of {@code invFreq.length}) turns by {@code position * invFreq[i]}; dimensions past
 * {@code 2 * invFreq.length} are left unchanged. Frequencies are precomputed by the architecture so that every
 * scaling scheme (Llama 3, linear) lives in one place and backends see plain numbers.
 */
public record Rope(Value out, Value in, int heads, int headDim, RopeMode mode, float[] invFreq) implements Op {
    public Rope {
        invFreq = invFreq.clone();
        if (heads * headDim != in.width() || 2 * invFreq.length > headDim) {
            throw new IllegalArgumentException("rope over " + heads + "x" + headDim + " with " + invFreq.length
                    + " frequencies does not fit width " + in.width());
        }
    }

    @Override
    public float[] invFreq() {
        return invFreq.clone();
    }

    /** The frequency of pair {@code i} without copying the array. */
    public float invFreq(int i) {
        return invFreq[i];
    }

    public int rotatedPairs() {
        return invFreq.length;
    }

    @Override
    public List<Value> inputs() {
        return List.of(in);
    }

    @Override
    public List<String> weights() {
        return List.of();
    }
}
