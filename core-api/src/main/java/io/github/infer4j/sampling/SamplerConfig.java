package io.github.infer4j.sampling;

import io.github.infer4j.Infer4jException;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Settings of the {@link Sampler} chain, with llama.cpp's meaning for each value so that settings users already
 * tuned there carry over unchanged.
 *
 * @param temperature      divides the logits before the final draw; {@code <= 0} picks the most likely token
 * @param topK             keeps the {@code topK} most likely tokens; 0 keeps all
 * @param topP             keeps the smallest set of most likely tokens whose probability reaches {@code topP}; 1 keeps all
 * @param minP             drops tokens less likely than {@code minP} times the most likely one; 0 keeps all
 * @param repeatPenalty    divides positive (multiplies negative) logits of recently seen tokens; 1 is off
 * @param repeatLastN      how many of the latest tokens the penalties look at; 0 is off, -1 means the whole history
 * @param frequencyPenalty subtracted from a recent token's logit once per occurrence; 0 is off
 * @param presencePenalty  subtracted once from the logit of every recent token; 0 is off
 * @param seed             seed of the random draw: the same seed and inputs give the same tokens
 */
public record SamplerConfig(float temperature, int topK, float topP, float minP, float repeatPenalty,
                            int repeatLastN, float frequencyPenalty, float presencePenalty, long seed) {

    public SamplerConfig {
        requireFinite("temperature", temperature);
        if (topK < 0) {
            throw new Infer4jException("topK must be >= 0 (0 keeps every token), got " + topK);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new Infer4jException("topP must be in (0,1], got " + topP);
        }
        if (!(minP >= 0f && minP <= 1f)) {
            throw new Infer4jException("minP must be in [0,1], got " + minP);
        }
        if (!(repeatPenalty > 0f && Float.isFinite(repeatPenalty))) {
            throw new Infer4jException("repeatPenalty must be a finite value > 0 (1 is off), got " + repeatPenalty);
        }
        if (repeatLastN < -1) {
            throw new Infer4jException("repeatLastN must be >= -1 (-1 = whole history, 0 = off), got " + repeatLastN);
        }
        requireFinite("frequencyPenalty", frequencyPenalty);
        requireFinite("presencePenalty", presencePenalty);
    }

    /**
     * llama.cpp's defaults (temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, penalties off over the last 64
     * tokens). The seed is drawn at random here, so the returned config names the seed it will use and a run can
     * be repeated by passing that seed back.
     */
    public static SamplerConfig defaults() {
        return new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1.0f, 64, 0f, 0f, ThreadLocalRandom.current().nextLong());
    }

    /** Always the most likely token: no penalties, no random draw. */
    public static SamplerConfig greedy() {
        return new SamplerConfig(0f, 0, 1f, 0f, 1f, 0, 0f, 0f, 0L);
    }

    /** Whether any penalty would change a logit; when not, the sampler skips reading the history. */
    boolean penalizes() {
        return repeatLastN != 0 && (repeatPenalty != 1f || frequencyPenalty != 0f || presencePenalty != 0f);
    }

    public SamplerConfig withTemperature(float value) {
        return new SamplerConfig(value, topK, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withTopK(int value) {
        return new SamplerConfig(temperature, value, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withTopP(float value) {
        return new SamplerConfig(temperature, topK, value, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withMinP(float value) {
        return new SamplerConfig(temperature, topK, topP, value, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withRepeatPenalty(float value) {
        return new SamplerConfig(temperature, topK, topP, minP, value, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withRepeatLastN(int value) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, value, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withFrequencyPenalty(float value) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, value, presencePenalty, seed);
    }

    public SamplerConfig withPresencePenalty(float value) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, value, seed);
    }

    public SamplerConfig withSeed(long value) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, value);
    }

    private static void requireFinite(String name, float value) {
        if (!Float.isFinite(value)) {
            throw new Infer4jException(name + " must be a finite number, got " + value);
        }
    }
}
