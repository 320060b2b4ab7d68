package io.github.infer4j.model;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.spi.Weights;

/**
 * Llama 2 / Llama 3 / SmolLM2 / Mistral-style decoder: pre-RMSNorm, GQA attention with RoPE on adjacent pairs
 * (llama.cpp's converter permutes Q and K so the "normal" mode matches Meta's rotation), SwiGLU feed-forward,
 * tied or separate output head; Llama 3.1 and linear RoPE scaling.
 */
final class LlamaArchitecture implements Architecture {
    private static final String ARCH = "llama";

    @Override
    public String name() {
        return ARCH;
    }

    @Override
    public ModelGraph build(GgufMetadata meta, Weights weights, String source) {
        Hyperparameters hp = Hyperparameters.read(meta, ARCH, weights, source);
        hp.require(hp.headDim() * hp.heads() == hp.dim(), ARCH + ".attention.key_length " + hp.headDim()
                + " differs from embedding_length / head_count = " + hp.dim() / hp.heads()
                + ", which llama does not support");
        float[] invFreq = RopeFrequencies.of(meta, ARCH, hp.ropeDims(), weights, source);
        return PreNormDecoder.build(hp, weights, invFreq, new PreNormDecoder.Variant(RopeMode.NORMAL, false, false));
    }
}
