package io.github.infer4j.graph;

import java.util.List;

/** {@code out = silu(gate) * up}, element-wise. */
public record SwiGlu(Value out, Value gate, Value up) implements Op {
    @Override
    public List<Value> inputs() {
        return List.of(gate, up);
    }

    @Override
    public List<String> weights() {
        return List.of();
    }
}
