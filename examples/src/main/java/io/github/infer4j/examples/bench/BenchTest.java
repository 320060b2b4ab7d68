package io.github.infer4j.examples.bench;

/**
 * One test in llama-bench's terms: {@code ppN} processes an N-token prompt in batches, {@code tgN} generates N
 * tokens one step at a time. Either starts from an empty context.
 */
public record BenchTest(Kind kind, int tokens) {
    public enum Kind {
        PROMPT("pp"), GENERATION("tg");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public BenchTest {
        if (tokens <= 0) {
            throw new IllegalArgumentException("a " + kind.prefix + " test needs at least one token, got " + tokens);
        }
    }

    /** The name llama-bench prints, e.g. {@code pp512} or {@code tg128}. */
    public String name() {
        return kind.prefix + tokens;
    }
}
