package io.github.infer4j.graph;

import java.util.List;

/** {@code out = in * factor}, element-wise: Gemma's embeddings are multiplied by {@code sqrt(embedding width)}. */
public record Scale(Value out, Value in, float factor) implements Op {
    public Scale {
        if (!Float.isFinite(factor)) {
            throw new IllegalArgumentException("scale factor must be finite, got " + factor);
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
