package io.github.infer4j.model;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.spi.Weights;

/**
 * Gemma 3 (text): the {@link GemmaDecoder} with query and key heads RMS-normalized, no attention soft-capping, and
 * when the file gives {@code gemma3.attention.sliding_window}, five local layers for each global one (every 6th,
 * {@code sliding_window_pattern}). Global layers turn RoPE with {@code rope.freq_base} and the file's scaling, local
 * ones with {@code rope.freq_base_swa} (10000 by default) unscaled. Logits are soft-capped only when the file sets
 * {@code final_logit_softcapping}.
 */
final class Gemma3Architecture implements Architecture {
    private static final String ARCH = "gemma3";
    private static final int LAYERS_27B = 62;

    @Override
    public String name() {
        return ARCH;
    }

    @Override
    public ModelGraph build(GgufMetadata meta, Weights weights, String source) {
        Hyperparameters hp = Hyperparameters.read(meta, ARCH, weights, source);
        int window = meta.getInt(ARCH + ".attention.sliding_window", 0);
        int pattern = meta.getInt(ARCH + ".attention.sliding_window_pattern", 6);
        float finalCap = meta.getFloat(ARCH + ".final_logit_softcapping", 0f);
        hp.require(window >= 0 && pattern >= 0 && finalCap >= 0, ARCH + ".attention.sliding_window " + window
                + ", sliding_window_pattern " + pattern + " and final_logit_softcapping " + finalCap
                + " must not be negative");
        float[] global = RopeFrequencies.of(meta, ARCH, hp.ropeDims(), weights, source);
        float[] local = RopeFrequencies.unscaled(
                RopeFrequencies.theta(meta, ARCH + ".rope.freq_base_swa", 10000f, source), hp.ropeDims());
        int[] windows = new int[hp.layers()];
        float[][] invFreqs = new float[hp.layers()][];
        for (int l = 0; l < hp.layers(); l++) {
            boolean isLocal = window > 0 && GemmaDecoder.isLocal(l, pattern);
            windows[l] = isLocal ? window : 0;
            invFreqs[l] = isLocal ? local : global;
        }
        return GemmaDecoder.build(hp, weights, new GemmaDecoder.Variant(GemmaDecoder.scale(hp, LAYERS_27B), windows,
                invFreqs, 0f, finalCap, true, Blocks.outputOrEmbeddings(weights)));
    }
}
