package io.github.infer4j.graph;

import java.util.List;

/** Row {@code token} of {@code table} (dequantized) for each token of the batch: {@code out[r] = table[tokens[r]]}. */
public record Embed(Value out, String table) implements Op {
    @Override
    public List<Value> inputs() {
        return List.of();
    }

    @Override
    public List<String> weights() {
        return List.of(table);
    }
}
