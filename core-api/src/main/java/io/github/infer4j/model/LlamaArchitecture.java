package io.github.infer4j.model;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.GraphBuilder;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.graph.Value;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.Tensor;

/**
 * Llama 2 / Llama 3 / SmolLM2 / Mistral-style decoder: pre-RMSNorm, GQA attention with RoPE on adjacent pairs
 * (llama.cpp's converter permutes Q and K so the "normal" mode matches Meta's rotation), SwiGLU feed-forward,
 * tied or separate output head.
 */
final class LlamaArchitecture implements Architecture {
    private static final String ARCH = "llama";

    @Override
    public String name() {
        return ARCH;
    }

    @Override
    public ModelGraph build(GgufMetadata meta, Weights weights, String source) {
        int dim = meta.getInt(ARCH + ".embedding_length");
        int layers = meta.getInt(ARCH + ".block_count");
        int heads = meta.getInt(ARCH + ".attention.head_count");
        int kvHeads = meta.getInt(ARCH + ".attention.head_count_kv", heads);
        int ffn = meta.getInt(ARCH + ".feed_forward_length");
        int context = meta.getInt(ARCH + ".context_length");
        float eps = meta.getFloat(ARCH + ".attention.layer_norm_rms_epsilon", 1e-5f);
        require(source, dim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && ffn > 0 && context > 0,
                "hyper-parameters must be positive: embedding_length " + dim + ", block_count " + layers
                        + ", head_count " + heads + ", head_count_kv " + kvHeads + ", feed_forward_length " + ffn
                        + ", context_length " + context);
        require(source, dim % heads == 0, ARCH + ".embedding_length " + dim + " is not a multiple of head_count " + heads);
        require(source, heads % kvHeads == 0, ARCH + ".attention.head_count " + heads
                + " is not a multiple of head_count_kv " + kvHeads);
        int headDim = meta.getInt(ARCH + ".attention.key_length", dim / heads);
        require(source, headDim == dim / heads, ARCH + ".attention.key_length " + headDim
                + " differs from embedding_length / head_count = " + dim / heads + ", which llama does not support");
        int ropeDims = meta.getInt(ARCH + ".rope.dimension_count", headDim);
        require(source, ropeDims > 0 && ropeDims <= headDim && ropeDims % 2 == 0, ARCH + ".rope.dimension_count "
                + ropeDims + " must be even and at most the head dimension " + headDim);
        float[] invFreq = RopeFrequencies.of(meta, ARCH, ropeDims, weights, source);

        Tensor embeddings = weights.tensor("token_embd.weight");
        int vocab = Math.toIntExact(embeddings.rows());
        String output = weights.names().contains("output.weight") ? "output.weight" : "token_embd.weight";

        Spec spec = new Spec(dim, layers, heads, kvHeads, headDim, ffn, eps, invFreq, vocab, output);
        return new ModelGraph(graph(spec, true), graph(spec, false), layers, kvHeads, headDim, context, vocab);
    }

    private record Spec(int dim, int layers, int heads, int kvHeads, int headDim, int ffn, float eps,
                        float[] invFreq, int vocab, String output) {
    }

    private static Graph graph(Spec s, boolean lastTokenOnly) {
        GraphBuilder g = new GraphBuilder();
        float scale = (float) (1.0 / Math.sqrt(s.headDim()));
        Value x = g.embed("token_embd.weight", s.dim());
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            Value h = g.rmsNorm(x, p + "attn_norm.weight", s.eps());
            Value q = g.rope(g.matmul(h, p + "attn_q.weight", s.heads() * s.headDim()), s.heads(), s.headDim(),
                    RopeMode.NORMAL, s.invFreq());
            Value k = g.rope(g.matmul(h, p + "attn_k.weight", s.kvHeads() * s.headDim()), s.kvHeads(), s.headDim(),
                    RopeMode.NORMAL, s.invFreq());
            Value v = g.matmul(h, p + "attn_v.weight", s.kvHeads() * s.headDim());
            Value att = g.attention(q, k, v, l, s.heads(), s.kvHeads(), s.headDim(), scale);
            x = g.add(x, g.matmul(att, p + "attn_output.weight", s.dim()));

            Value f = g.rmsNorm(x, p + "ffn_norm.weight", s.eps());
            Value act = g.swiGlu(g.matmul(f, p + "ffn_gate.weight", s.ffn()), g.matmul(f, p + "ffn_up.weight", s.ffn()));
            x = g.add(x, g.matmul(act, p + "ffn_down.weight", s.dim()));
        }
        if (lastTokenOnly) {
            x = g.lastRow(x);
        }
        Value logits = g.matmul(g.rmsNorm(x, "output_norm.weight", s.eps()), s.output(), s.vocab());
        return g.build(logits);
    }

    private static void require(String source, boolean ok, String problem) {
        if (!ok) {
            throw new Infer4jException(source + ": " + problem);
        }
    }

}
