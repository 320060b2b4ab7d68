package io.github.infer4j.graph;

import java.util.List;

/**
 * Causal multi-head attention of layer {@code layer} over the session's KV cache. For every row, its {@code k} and
 * {@code v} are first stored in the cache at the row's position (all rows of the batch before any attends); then
 * query head {@code h} attends to KV head {@code h / (heads / kvHeads)} over the positions {@code t} with
 * {@code t <= position} and, when {@code window > 0} (sliding-window attention), {@code position - t < window}.
 * The score of position {@code t} is {@code s = dot(q, k[t]) * scale}, soft-capped to
 * {@code softcap * tanh(s / softcap)} when {@code softcap > 0} (Gemma 2); the scores go through a softmax and
 * weigh the values. Output rows hold the heads side by side.
 */
public record Attention(Value out, Value q, Value k, Value v, int layer, int heads, int kvHeads, int headDim,
                        float scale, int window, float softcap) implements Op {
    public Attention {
        if (heads % kvHeads != 0 || q.width() != heads * headDim || k.width() != kvHeads * headDim
                || v.width() != kvHeads * headDim || out.width() != heads * headDim) {
            throw new IllegalArgumentException("attention shapes do not agree: heads " + heads + ", kv heads "
                    + kvHeads + ", head dim " + headDim + ", q/k/v widths " + q.width() + "/" + k.width() + "/" + v.width());
        }
        if (window < 0 || !(softcap >= 0) || !Float.isFinite(softcap)) {
            throw new IllegalArgumentException("attention window must be >= 0 (0 = all positions) and soft-cap >= 0 "
                    + "(0 = none), got window " + window + ", soft-cap " + softcap);
        }
    }

    /** Attention over every earlier position without soft-capping. */
    public Attention(Value out, Value q, Value k, Value v, int layer, int heads, int kvHeads, int headDim,
                     float scale) {
        this(out, q, k, v, layer, heads, kvHeads, headDim, scale, 0, 0f);
    }

    /** The first position row {@code position} attends to. */
    public int firstVisible(int position) {
        return window > 0 ? Math.max(0, position - window + 1) : 0;
    }

    @Override
    public List<Value> inputs() {
        return List.of(q, k, v);
    }

    @Override
    public List<String> weights() {
        return List.of();
    }
}
