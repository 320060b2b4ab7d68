package io.github.infer4j.graph;

import java.util.List;

/**
 * {@code out = gelu(gate) * up}, element-wise, with GELU in its tanh form:
 * {@code gelu(x) = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))}, the feed-forward of the Gemma
 * family (what PyTorch calls {@code gelu(approximate="tanh")} and ggml {@code ggml_gelu}).
 */
public record GeGlu(Value out, Value gate, Value up) implements Op {
    /** {@code sqrt(2 / pi)} rounded to float. */
    public static final float SQRT_2_OVER_PI = 0.7978845608f;
    public static final float CUBIC = 0.044715f;

    @Override
    public List<Value> inputs() {
        return List.of(gate, up);
    }

    @Override
    public List<String> weights() {
        return List.of();
    }
}
