package io.github.infer4j.sampling;

import java.util.Arrays;

/**
 * Repeat, frequency and presence penalties over the latest tokens of a {@link TokenHistory}, with llama.cpp's
 * arithmetic. Occurrences are counted in a vocabulary-sized array that is left all-zero after every call, so a
 * call costs O(window) and allocates nothing.
 */
final class Penalties {
    private final int[] counts;

    Penalties(int vocabSize) {
        counts = new int[vocabSize];
    }

    void apply(float[] logits, TokenHistory history, SamplerConfig cfg) {
        int size = history.size();
        int window = cfg.repeatLastN() < 0 ? size : Math.min(size, cfg.repeatLastN());
        int from = size - window;
        for (int i = from; i < size; i++) {
            int token = history.get(i);
            if (token >= counts.length) {
                Arrays.fill(counts, 0);
                throw new IllegalArgumentException("token history holds id " + token + " at position " + i
                        + ", outside the vocabulary of " + counts.length + " tokens");
            }
            counts[token]++;
        }
        float repeat = cfg.repeatPenalty();
        float frequency = cfg.frequencyPenalty();
        float presence = cfg.presencePenalty();
        for (int i = from; i < size; i++) {
            int token = history.get(i);
            int count = counts[token];
            if (count == 0) {
                continue; // already penalised at an earlier occurrence
            }
            counts[token] = 0;
            float logit = logits[token];
            // Dividing a negative logit would make the token more likely, hence the sign split.
            logit = logit <= 0f ? logit * repeat : logit / repeat;
            logits[token] = logit - count * frequency - presence;
        }
    }
}
