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
        return weights.names().contains(name + ".bias") ? g.biasAdd(out, name + ".bias") : out;
    }

    /** Like {@link #linear} with rows {@code [first, first + width)} of a fused {@code name.weight} (and bias). */
    Value linearRows(Value x, String name, long first, int width) {
        Value out = g.matmul(x, weights.slice(name + ".weight", first, width), width);
        String bias = name + ".bias";
        return weights.names().contains(bias) ? g.biasAdd(out, weights.slice(bias, first, width)) : out;
    }

    /** Query, key and value of a layer: {@code attn_q/k/v}, or row ranges of {@code attn_qkv} where they are fused. */
    Qkv qkv(Value h, int layer) {
        String p = "blk." + layer + ".";
        if (weights.names().contains(p + "attn_qkv.weight")) {
            return new Qkv(linearRows(h, p + "attn_qkv", 0, hp.qWidth()),
                    linearRows(h, p + "attn_qkv", hp.qWidth(), hp.kvWidth()),
                    linearRows(h, p + "attn_qkv", hp.qWidth() + hp.kvWidth(), hp.kvWidth()));
        }
        return new Qkv(linear(h, p + "attn_q", hp.qWidth()), linear(h, p + "attn_k", hp.kvWidth()),
                linear(h, p + "attn_v", hp.kvWidth()));
    }

    record Qkv(Value q, Value k, Value v) {
    }

    /** Query and key turned by RoPE; the value passes through. */
    Qkv rope(Qkv a, RopeMode mode, float[] invFreq) {
        return new Qkv(g.rope(a.q(), hp.heads(), hp.headDim(), mode, invFreq),
                g.rope(a.k(), hp.kvHeads(), hp.headDim(), mode, invFreq), a.v());
    }

    /** Query and key heads each normalized over the head size by the layer's {@code attn_q_norm}, {@code attn_k_norm}. */
    Qkv normQk(Qkv a, int layer) {
        String p = "blk." + layer + ".";
        return new Qkv(g.headRmsNorm(a.q(), p + "attn_q_norm.weight", hp.heads(), hp.headDim(), hp.eps()),
                g.headRmsNorm(a.k(), p + "attn_k_norm.weight", hp.kvHeads(), hp.headDim(), hp.eps()), a.v());
    }

    Value attention(Qkv a, int layer, float scale, int window, float softcap) {
        return g.attention(a.q(), a.k(), a.v(), layer, hp.heads(), hp.kvHeads(), hp.headDim(), scale, window,
                softcap);
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
