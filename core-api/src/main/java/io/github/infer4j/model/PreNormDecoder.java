package io.github.infer4j.model;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.graph.Value;
import io.github.infer4j.spi.Weights;

/**
 * The Llama-shaped decoder that most families share, with their few variations: every layer adds
 * {@code attention(rmsnorm(x))} and then {@code swiglu_ffn(rmsnorm(x))} to the residual stream {@code x}; a final
 * RMSNorm and the classifier give the logits. Scores are scaled by {@code 1 / sqrt(head size)}. Biases of the
 * projections are used wherever the file has them, and query, key and value may come fused in one matrix.
 */
final class PreNormDecoder {
    /**
     * What a family changes: how RoPE pairs dimensions, whether query and key heads are RMS-normalized before RoPE
     * (Qwen3), and whether gate and up projections are one matrix {@code ffn_up} with the gate's rows first (Phi-3).
     */
    record Variant(RopeMode rope, boolean qkNorm, boolean fusedGateUp) {
    }

    private PreNormDecoder() {
    }

    static ModelGraph build(Hyperparameters hp, Weights weights, float[] invFreq, Variant variant) {
        WeightViews views = new WeightViews(weights, hp.source());
        return new ModelGraph(graph(hp, views, invFreq, variant, true), graph(hp, views, invFreq, variant, false),
                hp.layers(), hp.kvHeads(), hp.headDim(), hp.context(), hp.vocab(), views);
    }

    private static Graph graph(Hyperparameters hp, WeightViews weights, float[] invFreq, Variant variant,
                               boolean lastTokenOnly) {
        Blocks b = new Blocks(hp, weights);
        float scale = (float) (1.0 / Math.sqrt(hp.headDim()));
        Value x = b.embed();
        for (int l = 0; l < hp.layers(); l++) {
            String p = "blk." + l + ".";
            Blocks.Qkv a = b.qkv(b.norm(x, p + "attn_norm.weight"), l);
            if (variant.qkNorm()) {
                a = b.normQk(a, l);
            }
            a = b.rope(a, variant.rope(), invFreq);
            x = b.ops().add(x, b.linear(b.attention(a, l, scale, 0, 0f), p + "attn_output", hp.dim()));

            Value f = b.norm(x, p + "ffn_norm.weight");
            Value gate = variant.fusedGateUp() ? b.linearRows(f, p + "ffn_up", 0, hp.ffn())
                    : b.linear(f, p + "ffn_gate", hp.ffn());
            Value up = variant.fusedGateUp() ? b.linearRows(f, p + "ffn_up", hp.ffn(), hp.ffn())
                    : b.linear(f, p + "ffn_up", hp.ffn());
            x = b.ops().add(x, b.linear(b.ops().swiGlu(gate, up), p + "ffn_down", hp.dim()));
        }
        return b.build(b.logits(x, lastTokenOnly, Blocks.outputOrEmbeddings(weights)));
    }
}
