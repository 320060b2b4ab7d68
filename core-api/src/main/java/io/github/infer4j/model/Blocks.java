package io.github.infer4j.model;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.GraphBuilder;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.graph.Value;
import io.github.infer4j.spi.Weights;

/**
 * The pieces the decoder families are made of, adding ops to one graph under construction, so that each family's
 * builder reads as a short list of its own steps. Tensor names are llama.cpp's.
 */
final class Blocks {
    private final GraphBuilder g = new GraphBuilder();
    private final Hyperparameters hp;
    private final WeightViews weights;

    Blocks(Hyperparameters hp, WeightViews weights) {
        this.hp = hp;
        this.weights = weights;
    }

    /** The op-level builder, for steps particular to one family. */
    GraphBuilder ops() {
        return g;
    }

    Value embed() {
        return g.embed("token_embd.weight", hp.dim());
    }

    Value norm(Value x, String weight) {
        return g.rmsNorm(x, weight, hp.eps());
    }

    /** {@code x W^T} with {@code name.weight}, plus {@code name.bias} when the file has one. */
    Value linear(Value x, String name, int width) {
        Value out = g.matmul(x, name + ".weight", width);
        return weights.has(name + ".bias") ? g.biasAdd(out, name + ".bias") : out;
    }

    /** Like {@link #linear} with rows {@code [first, first + width)} of a fused {@code name.weight} (and bias). */
    Value linearRows(Value x, String name, long first, int width) {
        Value out = g.matmul(x, weights.slice(name + ".weight", first, width), width);
        String bias = name + ".bias";
        return weights.has(bias) ? g.biasAdd(out, weights.slice(bias, first, width)) : out;
    }

    /**
     * The layer's query heads: projected by {@code attn_q} (or the first rows of a fused {@code attn_qkv}),
     * RMS-normalized by {@code attn_q_norm} when {@code normalized}, then turned by RoPE. Query, then key, then
     * value, each finished before the next starts: the op order of llama.cpp's Llama block, which schedulers
     * (lpu-sim's tensor parallelism) recognize.
     */
    Value query(Value h, int layer, boolean normalized, RopeMode mode, float[] invFreq) {
        Value q = projection(h, layer, "attn_q", 0, hp.qWidth());
        if (normalized) {
            q = g.headRmsNorm(q, "blk." + layer + ".attn_q_norm.weight", hp.heads(), hp.headDim(), hp.eps());
        }
        return g.rope(q, hp.heads(), hp.headDim(), mode, invFreq);
    }

    /** The layer's key heads, as {@link #query} makes the query ones ({@code attn_k}, {@code attn_k_norm}). */
    Value key(Value h, int layer, boolean normalized, RopeMode mode, float[] invFreq) {
        Value k = projection(h, layer, "attn_k", hp.qWidth(), hp.kvWidth());
        if (normalized) {
            k = g.headRmsNorm(k, "blk." + layer + ".attn_k_norm.weight", hp.kvHeads(), hp.headDim(), hp.eps());
        }
        return g.rope(k, hp.kvHeads(), hp.headDim(), mode, invFreq);
    }

    /** The layer's value heads: {@code attn_v}, or the last rows of a fused {@code attn_qkv}. */
    Value value(Value h, int layer) {
        return projection(h, layer, "attn_v", hp.qWidth() + hp.kvWidth(), hp.kvWidth());
    }

    /** {@code attn_q/k/v} of the layer, or its rows {@code [first, first + width)} of {@code attn_qkv} where fused. */
    private Value projection(Value h, int layer, String name, int first, int width) {
        String p = "blk." + layer + ".";
        return weights.has(p + "attn_qkv.weight") ? linearRows(h, p + "attn_qkv", first, width)
                : linear(h, p + name, width);
    }

    Value attention(Value q, Value k, Value v, int layer, float scale, int window, float softcap) {
        return g.attention(q, k, v, layer, hp.heads(), hp.kvHeads(), hp.headDim(), scale, window, softcap);
    }

    /** {@code output} when the file has an {@code output.weight}, else the embedding table (tied embeddings). */
    static String outputOrEmbeddings(Weights weights) {
        return weights.names().contains("output.weight") ? "output" : "token_embd";
    }

    /** Final norm and classifier, on the last row only for generation. */
    Value logits(Value x, boolean lastTokenOnly, String output) {
        Value last = lastTokenOnly ? g.lastRow(x) : x;
        return linear(norm(last, "output_norm.weight"), output, hp.vocab());
    }

    Graph build(Value output) {
        return g.build(output);
    }
}
