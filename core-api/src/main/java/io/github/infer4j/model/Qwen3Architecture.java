package io.github.infer4j.model;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.spi.Weights;

/**
 * Qwen3 (dense): the Llama block with NeoX RoPE, each query and key head RMS-normalized over the head size before
 * RoPE ({@code blk.N.attn_q_norm.weight}, {@code attn_k_norm.weight}), and a head size of its own
 * ({@code qwen3.attention.key_length}, e.g. 128 with an embedding of 1024 and 16 heads).
 */
final class Qwen3Architecture implements Architecture {
    private static final String ARCH = "qwen3";

    @Override
    public String name() {
        return ARCH;
    }

    @Override
    public ModelGraph build(GgufMetadata meta, Weights weights, String source) {
        Hyperparameters hp = Hyperparameters.read(meta, ARCH, weights, source);
        hp.require(hp.ropeDims() == hp.headDim(), ARCH + ".rope.dimension_count " + hp.ropeDims()
                + " must equal the head size " + hp.headDim());
        float[] invFreq = RopeFrequencies.of(meta, ARCH, hp.ropeDims(), weights, source);
        return PreNormDecoder.build(hp, weights, invFreq, new PreNormDecoder.Variant(RopeMode.NEOX, true, false));
    }
}
