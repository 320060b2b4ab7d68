package io.github.infer4j.graph;

import java.util.List;

/** {@code out = a + b}, element-wise: the residual connections. */
public record Add(Value out, Value a, Value b) implements Op {
    @Override
    public List<Value> inputs() {
        return List.of(a, b);
    }

    @Override
    public List<String> weights() {
        return List.of();
    }
}
