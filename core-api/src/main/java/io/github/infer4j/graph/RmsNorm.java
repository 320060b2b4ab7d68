package io.github.infer4j.graph;

import java.util.List;

/** {@code out[r] = in[r] / sqrt(mean(in[r]^2) + eps) * weight}, the weight being an F32 vector of the row width. */
public record RmsNorm(Value out, Value in, String weight, float eps) implements Op {
    @Override
    public List<Value> inputs() {
        return List.of(in);
    }

    @Override
    public List<String> weights() {
        return List.of(weight);
    }
}
