package io.github.infer4j.tokenizer;

/** The vocabulary-specific half of a tokenizer: how plain text (no special tokens in it) becomes ids and back. */
interface SubwordEncoder {
    /**
     * Appends the ids of {@code text} to {@code out}. {@code afterSpecial} is true at the start of the input and
     * right after a special token, where SentencePiece vocabularies add their space prefix.
     */
    void encode(String text, boolean afterSpecial, IntList out);

    /** The bytes a token of type NORMAL with vocabulary string {@code text} decodes to. */
    byte[] normalPiece(String text);

    /** Whether whole-text decoding removes the spaces that pre-tokenization put before punctuation. */
    boolean cleanSpaces();
}
