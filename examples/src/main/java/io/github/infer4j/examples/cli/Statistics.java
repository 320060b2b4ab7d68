package io.github.infer4j.examples.cli;

import io.github.infer4j.GenerationResult;

import java.util.Locale;
import java.util.Map;

/** The speed line printed on stderr after a generation, and what the backend reports. */
final class Statistics {
    private Statistics() {
    }

    static String of(GenerationResult result) {
        return String.format(Locale.ROOT, "prompt: %d tokens, %.1f t/s | generation: %d tokens, %.1f t/s | stop: %s",
                result.promptTokens(), result.promptTokensPerSecond(), result.tokens().length, result.tokensPerSecond(),
                result.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    /** One line per figure the backend reports, under its name; empty when it reports nothing. */
    static String backendReport(String backend, Map<String, String> report) {
        if (report.isEmpty()) {
            return "";
        }
        int width = report.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder sb = new StringBuilder(backend).append(" reports:").append(System.lineSeparator());
        report.forEach((key, value) -> sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", key, value)));
        return sb.toString();
    }
}
