package io.github.infer4j.model;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.spi.Weights;

/**
 * Qwen2 and Qwen2.5: the Llama block with biases on the query, key and value projections
 * ({@code blk.N.attn_q.bias} and so on) and RoPE on the two halves of each head (NeoX style).
 */
final class Qwen2Architecture implements Architecture {
    private static final String ARCH = "qwen2";

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
        return PreNormDecoder.build(hp, weights, invFreq, new PreNormDecoder.Variant(RopeMode.NEOX, false, false));
    }
}
