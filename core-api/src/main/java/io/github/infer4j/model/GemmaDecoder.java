package io.github.infer4j.model;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.graph.Value;
import io.github.infer4j.spi.Weights;

/**
 * The Gemma 2 and Gemma 3 decoder: embeddings multiplied by {@code sqrt(embedding width)}; every layer normalizes
 * both the input and the output of attention and of the GeGLU feed-forward ({@code attn_norm},
 * {@code post_attention_norm}, {@code ffn_norm}, {@code post_ffw_norm}) before adding it to the residual stream;
 * RoPE in NeoX style. Layers alternate between sliding-window (local) and global attention, each kind with its own
 * RoPE frequencies. Gemma's norms scale by {@code 1 + w}; llama.cpp's converter stores {@code 1 + w} in the file,
 * so the weights are used as they are.
 */
final class GemmaDecoder {
    /**
     * What differs between the generations and between files: the score scale, per layer the attention window
     * (0 = global) and RoPE frequencies, attention and final-logit soft-caps (0 = none), whether query and key
     * heads are RMS-normalized (Gemma 3), and the classifier's weight name without {@code .weight}.
     */
    record Variant(float scale, int[] windows, float[][] invFreqs, float attentionSoftcap, float finalSoftcap,
                   boolean qkNorm, String output) {
    }

    private GemmaDecoder() {
    }

    /**
     * llama.cpp's rule for which layers slide: with a pattern of {@code n}, every {@code n}-th layer (the last of each
     * group of {@code n}) is global and the others local; a pattern of 0 makes every layer local.
     */
    static boolean isLocal(int layer, int pattern) {
        return pattern == 0 || layer % pattern < pattern - 1;
    }

    /**
     * Gemma scales queries by {@code query_pre_attn_scalar^-0.5}, which GGUF does not store: it is the head size
     * except in the 27B models, where it is embedding width / heads. Like llama.cpp, recognize those by their
     * layer count ({@code layers27b}).
     */
    static float scale(Hyperparameters hp, int layers27b) {
        int scalar = hp.layers() == layers27b ? hp.dim() / hp.heads() : hp.headDim();
        return (float) (1.0 / Math.sqrt(scalar));
    }

    static ModelGraph build(Hyperparameters hp, Weights weights, Variant variant) {
        WeightViews views = new WeightViews(weights, hp.source());
        return new ModelGraph(graph(hp, views, variant, true), graph(hp, views, variant, false), hp.layers(),
                hp.kvHeads(), hp.headDim(), hp.context(), hp.vocab(), views);
    }

    private static Graph graph(Hyperparameters hp, WeightViews weights, Variant variant, boolean lastTokenOnly) {
        Blocks b = new Blocks(hp, weights);
        Value x = b.ops().scale(b.embed(), (float) Math.sqrt(hp.dim()));
        for (int l = 0; l < hp.layers(); l++) {
            String p = "blk." + l + ".";
            Blocks.Qkv a = b.qkv(b.norm(x, p + "attn_norm.weight"), l);
            if (variant.qkNorm()) {
                a = b.normQk(a, l);
            }
            a = b.rope(a, RopeMode.NEOX, variant.invFreqs()[l]);
            Value att = b.attention(a, l, variant.scale(), variant.windows()[l], variant.attentionSoftcap());
            x = b.ops().add(x, b.norm(b.linear(att, p + "attn_output", hp.dim()), p + "post_attention_norm.weight"));

            Value f = b.norm(x, p + "ffn_norm.weight");
            Value act = b.ops().geGlu(b.linear(f, p + "ffn_gate", hp.ffn()), b.linear(f, p + "ffn_up", hp.ffn()));
            x = b.ops().add(x, b.norm(b.linear(act, p + "ffn_down", hp.dim()), p + "post_ffw_norm.weight"));
        }
        Value logits = b.logits(x, lastTokenOnly, variant.output());
        return b.build(variant.finalSoftcap() > 0 ? b.ops().softCap(logits, variant.finalSoftcap()) : logits);
    }
}
