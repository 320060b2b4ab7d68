package io.github.infer4j.graph;

import java.util.List;

/**
 * RMS normalization of each head on its own: every row holds {@code heads} runs of {@code headDim} values, and
 * {@code out[r][h][i] = in[r][h][i] / sqrt(mean_i(in[r][h][i]^2) + eps) * weight[i]}, the weight being an F32
 * vector of {@code headDim} shared by all heads (the query and key norms of Qwen3 and Gemma 3).
 */
public record HeadRmsNorm(Value out, Value in, String weight, int heads, int headDim, float eps) implements Op {
    public HeadRmsNorm {
        if (heads <= 0 || headDim <= 0 || heads * headDim != in.width()) {
            throw new IllegalArgumentException("per-head norm over " + heads + "x" + headDim
                    + " does not fit width " + in.width());
        }
    }

    @Override
    public List<Value> inputs() {
        return List.of(in);
    }

    @Override
    public List<String> weights() {
        return List.of(weight);
    }
}
