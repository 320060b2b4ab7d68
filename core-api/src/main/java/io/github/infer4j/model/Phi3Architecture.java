package io.github.infer4j.model;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.spi.Weights;

/**
 * Phi-3 and Phi-4 (dense): the Llama block with NeoX RoPE, query, key and value fused in {@code blk.N.attn_qkv}
 * (rows in that order) and gate and up projections fused in {@code blk.N.ffn_up} (gate rows first), split here into
 * zero-copy row views. The long-context RoPE of the 128k variants ({@code rope_factors_long/short}) is not
 * supported; the sliding window some files declare is ignored, as llama.cpp does.
 */
final class Phi3Architecture implements Architecture {
    private static final String ARCH = "phi3";

    @Override
    public String name() {
        return ARCH;
    }

    @Override
    public ModelGraph build(GgufMetadata meta, Weights weights, String source) {
        Hyperparameters hp = Hyperparameters.read(meta, ARCH, weights, source);
        for (String factors : new String[] {"rope_factors_long.weight", "rope_factors_short.weight"}) {
            hp.require(!weights.names().contains(factors), "phi3 long-context RoPE scaling (" + factors
                    + ", the LongRoPE of 128k variants) is not supported");
        }
        float[] invFreq = RopeFrequencies.of(meta, ARCH, hp.ropeDims(), weights, source);
        return PreNormDecoder.build(hp, weights, invFreq, new PreNormDecoder.Variant(RopeMode.NEOX, false, true));
    }
}
