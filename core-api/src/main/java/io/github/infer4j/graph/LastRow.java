package io.github.infer4j.graph;

import java.util.List;

/** Keeps only the last row of the batch: generation needs logits for the newest token only. */
public record LastRow(Value out, Value in) implements Op {
    @Override
    public List<Value> inputs() {
        return List.of(in);
    }

    @Override
    public List<String> weights() {
        return List.of();
    }
}
