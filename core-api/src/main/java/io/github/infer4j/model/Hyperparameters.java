package io.github.infer4j.model;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.spi.Weights;

/**
 * The shape of a decoder, read from the {@code <arch>.*} keys every family here shares (llama.cpp's names and
 * defaults): the head size is {@code attention.key_length} when present, else the embedding width over the head
 * count; RoPE turns {@code rope.dimension_count} dimensions of each head, by default all of them.
 */
record Hyperparameters(String arch, String source, int dim, int layers, int heads, int kvHeads, int headDim, int ffn,
                       int context, float eps, int ropeDims, int vocab) {

    static Hyperparameters read(GgufMetadata meta, String arch, Weights weights, String source) {
        int dim = meta.getInt(arch + ".embedding_length");
        int layers = meta.getInt(arch + ".block_count");
        int heads = meta.getInt(arch + ".attention.head_count");
        int kvHeads = meta.getInt(arch + ".attention.head_count_kv", heads);
        int ffn = meta.getInt(arch + ".feed_forward_length");
        int context = meta.getInt(arch + ".context_length");
        float eps = meta.getFloat(arch + ".attention.layer_norm_rms_epsilon", 1e-5f);
        require(source, dim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && ffn > 0 && context > 0,
                "hyper-parameters must be positive: embedding_length " + dim + ", block_count " + layers
                        + ", head_count " + heads + ", head_count_kv " + kvHeads + ", feed_forward_length " + ffn
                        + ", context_length " + context);
        require(source, heads % kvHeads == 0, arch + ".attention.head_count " + heads
                + " is not a multiple of head_count_kv " + kvHeads);
        require(source, meta.contains(arch + ".attention.key_length") || dim % heads == 0, arch
                + ".embedding_length " + dim + " is not a multiple of head_count " + heads
                + " and no attention.key_length gives the head size");
        int headDim = meta.getInt(arch + ".attention.key_length", dim / heads);
        int valueDim = meta.getInt(arch + ".attention.value_length", headDim);
        require(source, headDim > 0 && valueDim == headDim, arch + ".attention.key_length " + headDim
                + " and value_length " + valueDim + " must be equal and positive");
        int ropeDims = meta.getInt(arch + ".rope.dimension_count", headDim);
        require(source, ropeDims > 0 && ropeDims <= headDim && ropeDims % 2 == 0, arch + ".rope.dimension_count "
                + ropeDims + " must be even and at most the head dimension " + headDim);
        require(source, eps >= 0, arch + ".attention.layer_norm_rms_epsilon must not be negative, got " + eps);
        int vocab = Math.toIntExact(weights.tensor("token_embd.weight").rows());
        return new Hyperparameters(arch, source, dim, layers, heads, kvHeads, headDim, ffn, context, eps, ropeDims,
                vocab);
    }

    int qWidth() {
        return heads * headDim;
    }

    int kvWidth() {
        return kvHeads * headDim;
    }

    /** Fails with the file and the problem unless {@code ok}. */
    void require(boolean ok, String problem) {
        require(source, ok, problem);
    }

    static void require(String source, boolean ok, String problem) {
        if (!ok) {
            throw new Infer4jException(source + ": " + problem);
        }
    }
}
