package io.github.infer4j.examples.cli;

import io.github.infer4j.GenerationOptions;
import io.github.infer4j.sampling.SamplerConfig;
import picocli.CommandLine.Option;

/** Sampling flags named as in llama.cpp; a flag left out keeps the library's default. */
final class SamplingOptions {
    @Option(names = "--temp", paramLabel = "T", description = "Temperature; 0 always picks the most likely token (default 0.8).")
    private Float temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 keeps all (default 40).")
    private Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Keep the most likely tokens up to probability P (default 0.95).")
    private Float topP;

    @Option(names = "--min-p", paramLabel = "P", description = "Drop tokens less likely than P times the best one (default 0.05).")
    private Float minP;

    @Option(names = "--repeat-penalty", paramLabel = "X", description = "Penalty of recently seen tokens; 1 is off (default).")
    private Float repeatPenalty;

    @Option(names = "--repeat-last-n", paramLabel = "N", description = "How many recent tokens the penalties look at; -1: all (default 64).")
    private Integer repeatLastN;

    @Option(names = "--frequency-penalty", paramLabel = "X", description = "Penalty per occurrence; 0 is off (default).")
    private Float frequencyPenalty;

    @Option(names = "--presence-penalty", paramLabel = "X", description = "Penalty of any occurrence; 0 is off (default).")
    private Float presencePenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed, for repeatable output (default: random).")
    private Long seed;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", description = "Generate at most N tokens; -1: until done or the context is full (default).")
    private int maxTokens = -1;

    GenerationOptions generation() {
        SamplerConfig sampler = SamplerConfig.defaults();
        if (temperature != null) {
            sampler = sampler.withTemperature(temperature);
        }
        if (topK != null) {
            sampler = sampler.withTopK(topK);
        }
        if (topP != null) {
            sampler = sampler.withTopP(topP);
        }
        if (minP != null) {
            sampler = sampler.withMinP(minP);
        }
        if (repeatPenalty != null) {
            sampler = sampler.withRepeatPenalty(repeatPenalty);
        }
        if (repeatLastN != null) {
            sampler = sampler.withRepeatLastN(repeatLastN);
        }
        if (frequencyPenalty != null) {
            sampler = sampler.withFrequencyPenalty(frequencyPenalty);
        }
        if (presencePenalty != null) {
            sampler = sampler.withPresencePenalty(presencePenalty);
        }
        if (seed != null) {
            sampler = sampler.withSeed(seed);
        }
        return GenerationOptions.defaults().sampler(sampler).maxTokens(maxTokens);
    }
}
