package io.github.infer4j.tokenizer;

/**
 * Turns generated tokens into text one token at a time. A character whose UTF-8 bytes are spread over several
 * tokens (byte-fallback tokens of an emoji, say) is held back until its last byte arrives, so every returned
 * string is complete text that can be printed as it comes. One decoder per output stream; not thread-safe.
 */
public interface TokenDecoder {
    /** Adds one token and returns the text that became complete (often empty while a character is pending). */
    String accept(int tokenId);

    /** Returns what is still held back, with incomplete characters as U+FFFD, and starts afresh. */
    String flush();
}
