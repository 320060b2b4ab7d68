package io.github.infer4j.graph;

import java.util.List;

/**
 * {@code out = cap * tanh(in / cap)}, element-wise: squashes values smoothly into {@code (-cap, cap)} while leaving
 * small ones almost unchanged (Gemma 2's final logit soft-capping).
 */
public record SoftCap(Value out, Value in, float cap) implements Op {
    public SoftCap {
        if (!(cap > 0) || !Float.isFinite(cap)) {
            throw new IllegalArgumentException("soft-cap must be positive and finite, got " + cap);
        }
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
