package io.github.infer4j.graph;

import java.util.List;

/**
 * Causal multi-head attention of layer {@code layer} over the session's KV cache. For every row, its {@code k} and
 * {@code v} are first stored in the cache at the row's position (all rows of the batch before any attends); then
 * query head {@code h} attends to KV head {@code h / (heads / kvHeads)} over positions {@code 0..position},
 * with scores scaled by {@code scale}. Output rows hold the heads side by side.
 */
public record Attention(Value out, Value q, Value k, Value v, int layer, int heads, int kvHeads, int headDim,
                        float scale) implements Op {
    public Attention {
        if (heads % kvHeads != 0 || q.width() != heads * headDim || k.width() != kvHeads * headDim
                || v.width() != kvHeads * headDim || out.width() != heads * headDim) {
            throw new IllegalArgumentException("attention shapes do not agree: heads " + heads + ", kv heads "
                    + kvHeads + ", head dim " + headDim + ", q/k/v widths " + q.width() + "/" + k.width() + "/" + v.width());
        }
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
