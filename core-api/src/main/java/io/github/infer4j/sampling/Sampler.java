package io.github.infer4j.sampling;

import io.github.infer4j.Infer4jException;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Turns a logit vector into the next token with llama.cpp's default chain: penalties, then top-k, top-p, min-p,
 * temperature, and a seeded draw from the softmax. With a temperature {@code <= 0} it returns the most likely
 * token after the penalties (ties go to the lowest id), since the filters never remove that token.
 *
 * <p>All working memory is sized to the vocabulary once, here, so {@link #sample} allocates nothing. An instance
 * holds per-generation state (its random stream) and is not thread-safe: use one per session.
 */
public final class Sampler {
    private final SamplerConfig config;
    private final int vocabSize;
    private final Penalties penalties;
    private final Candidates candidates;
    private final float[] weights;
    private SplittableRandom random;

    public Sampler(SamplerConfig config, int vocabSize) {
        this.config = Objects.requireNonNull(config, "config");
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabSize must be > 0, got " + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.penalties = new Penalties(vocabSize);
        this.candidates = new Candidates(vocabSize);
        this.weights = new float[vocabSize];
        this.random = new SplittableRandom(config.seed());
    }

    public SamplerConfig config() {
        return config;
    }

    /**
     * Picks the next token.
     *
     * @param logits  one logit per vocabulary entry; <b>modified in place</b> by the penalties, so pass a copy
     *                if the raw values are still needed. {@code -Infinity} masks a token out.
     * @param history the tokens seen so far (prompt and generated), read by the penalties; may be empty
     * @return the chosen token id
     * @throws Infer4jException if a logit is NaN or {@code +Infinity}, or every logit is {@code -Infinity}
     */
    public int sample(float[] logits, TokenHistory history) {
        Objects.requireNonNull(history, "history");
        if (logits.length != vocabSize) {
            throw new IllegalArgumentException("expected " + vocabSize + " logits (the vocabulary size), got " + logits.length);
        }
        if (config.penalizes()) {
            penalties.apply(logits, history, config);
        }
        int best = checkedArgmax(logits);
        if (config.temperature() <= 0f) {
            return best;
        }
        candidates.reset(logits, config.topK() > 0 ? config.topK() : vocabSize);
        if (config.topP() < 1f) {
            keepTopP(logits, config.topP());
        }
        if (config.minP() > 0f) {
            keepMinP(logits, config.minP());
        }
        return draw(logits, config.temperature());
    }

    /** Restarts the random stream from the seed, so the next generation repeats the first one for equal inputs. */
    public void reset() {
        random = new SplittableRandom(config.seed());
    }

    /** Smallest best-first prefix whose probability (at temperature 1, over the current candidates) reaches p. */
    private void keepTopP(float[] logits, float p) {
        float max = candidates.topLogit();
        int n = candidates.size();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += Math.exp(logits[candidates.idAt(i)] - max);
        }
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += Math.exp(logits[candidates.sortedId(i)] - max) / total;
            if (cumulative >= p) {
                candidates.keepBest(i + 1);
                return;
            }
        }
    }

    /** Keeps tokens at least p times as likely as the best one, compared in log space as llama.cpp does. */
    private void keepMinP(float[] logits, float p) {
        float threshold = candidates.topLogit() + (float) Math.log(p);
        int n = candidates.size();
        int kept = 1;
        while (kept < n && logits[candidates.sortedId(kept)] >= threshold) {
            kept++;
        }
        candidates.keepBest(kept);
    }

    private int draw(float[] logits, float temperature) {
        float max = candidates.topLogit();
        int n = candidates.size();
        double total = 0;
        for (int i = 0; i < n; i++) {
            float w = (float) Math.exp((logits[candidates.idAt(i)] - max) / temperature);
            weights[i] = w;
            total += w;
        }
        double target = random.nextDouble() * total;
        double cumulative = 0;
        int lastLikely = 0;
        for (int i = 0; i < n; i++) {
            if (weights[i] == 0f) {
                continue;
            }
            cumulative += weights[i];
            lastLikely = i;
            if (target < cumulative) {
                return candidates.idAt(i);
            }
        }
        // Only reached when rounding puts the target at the very top of the range.
        return candidates.idAt(lastLikely);
    }

    private static int checkedArgmax(float[] logits) {
        int best = -1;
        float bestLogit = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            float logit = logits[i];
            if (Float.isNaN(logit) || logit == Float.POSITIVE_INFINITY) {
                throw new Infer4jException("logit of token " + i + " is " + logit + "; the model produced invalid output");
            }
            if (logit > bestLogit) {
                best = i;
                bestLogit = logit;
            }
        }
        if (best < 0) {
            throw new Infer4jException("every logit is -Infinity: no token can be sampled");
        }
        return best;
    }
}
