package io.github.infer4j.model;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.spi.Weights;

/**
 * Gemma 2: the {@link GemmaDecoder} with local layers (a window of {@code gemma2.attention.sliding_window}, 4096 by
 * default) alternating with global ones, the first layer local; attention scores soft-capped at
 * {@code attn_logit_softcapping} (default 50) and logits at {@code final_logit_softcapping} (default 30). The
 * classifier is always the embedding table, as in llama.cpp.
 */
final class Gemma2Architecture implements Architecture {
    private static final String ARCH = "gemma2";
    private static final int LAYERS_27B = 46;

    @Override
    public String name() {
        return ARCH;
    }

    @Override
    public ModelGraph build(GgufMetadata meta, Weights weights, String source) {
        Hyperparameters hp = Hyperparameters.read(meta, ARCH, weights, source);
        int window = meta.getInt(ARCH + ".attention.sliding_window", 4096);
        int pattern = meta.getInt(ARCH + ".attention.sliding_window_pattern", 2);
        float attentionCap = meta.getFloat(ARCH + ".attn_logit_softcapping", 50f);
        float finalCap = meta.getFloat(ARCH + ".final_logit_softcapping", 30f);
        hp.require(window > 0 && pattern >= 0, ARCH + ".attention.sliding_window " + window
                + " must be positive and sliding_window_pattern " + pattern + " not negative");
        hp.require(attentionCap > 0 && finalCap > 0, ARCH + ".attn_logit_softcapping " + attentionCap
                + " and final_logit_softcapping " + finalCap + " must be positive");
        float[] global = RopeFrequencies.of(meta, ARCH, hp.ropeDims(), weights, source);
        float[] local = meta.contains(ARCH + ".rope.freq_base_swa") ? RopeFrequencies.of(meta, ARCH,
                RopeFrequencies.theta(meta, ARCH + ".rope.freq_base_swa", 10000f, source), hp.ropeDims(), weights,
                source) : global;
        int[] windows = new int[hp.layers()];
        float[][] invFreqs = new float[hp.layers()][];
        for (int l = 0; l < hp.layers(); l++) {
            boolean isLocal = GemmaDecoder.isLocal(l, pattern);
            windows[l] = isLocal ? window : 0;
            invFreqs[l] = isLocal ? local : global;
        }
        return GemmaDecoder.build(hp, weights, new GemmaDecoder.Variant(GemmaDecoder.scale(hp, LAYERS_27B), windows,
                invFreqs, attentionCap, finalCap, false, "token_embd"));
    }
}
