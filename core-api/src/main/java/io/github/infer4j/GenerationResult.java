package io.github.infer4j;

/**
 * The outcome of one generation: the text (without any stop string), the generated token ids, why it stopped and
 * how long the prompt and the generation took.
 */
public record GenerationResult(String text, int[] tokens, StopReason stopReason, int promptTokens, long promptNanos,
                               long generationNanos) {
    public GenerationResult {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    public double promptTokensPerSecond() {
        return rate(promptTokens, promptNanos);
    }

    public double tokensPerSecond() {
        return rate(tokens.length, generationNanos);
    }

    private static double rate(int count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }
}
