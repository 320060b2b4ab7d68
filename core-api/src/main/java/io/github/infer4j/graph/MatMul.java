package io.github.infer4j.graph;

import java.util.List;

/**
 * {@code out[r][o] = sum_i weight[o][i] * in[r][i]}: the weight is stored {@code rows = out.width} by
 * {@code cols = in.width} (ggml dims {@code {in.width, out.width}}) in any supported {@link io.github.infer4j.tensor.DType}.
 */
public record MatMul(Value out, Value in, String weight) implements Op {
    @Override
    public List<Value> inputs() {
        return List.of(in);
    }

    @Override
    public List<String> weights() {
        return List.of(weight);
    }
}
