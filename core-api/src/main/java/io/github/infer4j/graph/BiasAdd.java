package io.github.infer4j.graph;

import java.util.List;

/**
 * {@code out[r][i] = in[r][i] + bias[i]}: the bias of a linear layer (Qwen2's query, key and value projections), the
 * bias being an F32 vector of the row width.
 */
public record BiasAdd(Value out, Value in, String bias) implements Op {
    @Override
    public List<Value> inputs() {
        return List.of(in);
    }

    @Override
    public List<String> weights() {
        return List.of(bias);
    }
}
