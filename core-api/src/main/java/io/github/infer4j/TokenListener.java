package io.github.infer4j;

/** Receives generated text as it streams; every piece is complete UTF-8 text (no half characters). */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = text -> { };

    void onText(String text);
}
