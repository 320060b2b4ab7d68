package io.github.infer4j.examples.cli;

import io.github.infer4j.GenerationResult;

import java.util.Locale;

/** The speed line printed on stderr after a generation. */
final class Statistics {
    private Statistics() {
    }

    static String of(GenerationResult result) {
        return String.format(Locale.ROOT, "prompt: %d tokens, %.1f t/s | generation: %d tokens, %.1f t/s | stop: %s",
                result.promptTokens(), result.promptTokensPerSecond(), result.tokens().length, result.tokensPerSecond(),
                result.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}
