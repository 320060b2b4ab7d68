package io.github.infer4j;

import io.github.infer4j.sampling.SamplerConfig;

import java.util.List;

/**
 * How to generate: the sampler, at most how many tokens (-1: until the context is full), stop strings and a
 * cancellation token. Immutable; the fluent methods return modified copies.
 */
public record GenerationOptions(SamplerConfig sampler, int maxTokens, List<String> stopStrings,
                                CancellationToken cancellation) {
    public GenerationOptions {
        if (maxTokens < -1 || maxTokens == 0) {
            throw new IllegalArgumentException("maxTokens must be positive or -1 (no limit), got " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    public static GenerationOptions defaults() {
        return new GenerationOptions(SamplerConfig.defaults(), -1, List.of(), new CancellationToken());
    }

    public GenerationOptions sampler(SamplerConfig sampler) {
        return new GenerationOptions(sampler, maxTokens, stopStrings, cancellation);
    }

    public GenerationOptions maxTokens(int maxTokens) {
        return new GenerationOptions(sampler, maxTokens, stopStrings, cancellation);
    }

    public GenerationOptions stopStrings(List<String> stopStrings) {
        return new GenerationOptions(sampler, maxTokens, stopStrings, cancellation);
    }

    public GenerationOptions cancellation(CancellationToken cancellation) {
        return new GenerationOptions(sampler, maxTokens, stopStrings, cancellation);
    }
}
