package io.github.infer4j.tokenizer;

import io.github.infer4j.gguf.GgufMetadata;

import java.util.OptionalInt;

/**
 * Text to token ids and back, exactly as llama.cpp does it for the vocabulary stored in a GGUF file. Two algorithms
 * are supported: SentencePiece BPE ({@code tokenizer.ggml.model = llama}, e.g. Llama 2, TinyLlama) and byte-level
 * BPE ({@code gpt2}, e.g. Llama 3, Qwen2, GPT-2, SmolLM) with the pre-tokenizer named by {@code tokenizer.ggml.pre}.
 * Instances are immutable and safe to share between threads.
 */
public interface Tokenizer {

    /**
     * Builds the tokenizer described by the {@code tokenizer.ggml.*} keys.
     *
     * @throws io.github.infer4j.Infer4jException when the tokenizer model or pre-tokenizer is not supported (the
     *         message lists the supported ones) or the metadata is inconsistent
     */
    static Tokenizer fromGguf(GgufMetadata metadata) {
        return new VocabTokenizer(GgufVocabulary.read(metadata));
    }

    /** Number of tokens in the vocabulary; valid ids are {@code 0 .. vocabSize() - 1}. */
    int vocabSize();

    /**
     * Token ids of {@code text}.
     *
     * @param addSpecial   add BOS (and EOS) as the vocabulary asks for ({@code tokenizer.ggml.add_bos_token},
     *                     {@code add_eos_token}); SentencePiece vocabularies add BOS unless told otherwise
     * @param parseSpecial recognise the text of control tokens such as {@code <|im_start|>} and emit the token;
     *                     when false such text is tokenized as ordinary characters. User-defined tokens are
     *                     always recognised, as in llama.cpp
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** The vocabulary string of {@code id}, e.g. {@code "▁Hello"} or {@code "ĠHello"}. */
    String tokenText(int id);

    /** What {@code id} decodes to; control tokens decode to nothing. Same as {@code tokenBytes(id, false)}. */
    byte[] tokenBytes(int id);

    /**
     * What {@code id} decodes to on its own, like llama.cpp's token_to_piece: SentencePiece {@code ▁} becomes a
     * space and {@code <0xAB>} the byte 0xAB, byte-level spellings become their bytes, control and unknown tokens
     * become their text if {@code renderSpecial} and nothing otherwise. The bytes can end inside a UTF-8
     * character; use {@link #newStreamingDecoder()} to print tokens as they are generated.
     */
    byte[] tokenBytes(int id, boolean renderSpecial);

    /** The text of {@code ids}, control tokens left out. Same as {@code decode(ids, false)}. */
    String decode(int[] ids);

    /**
     * The text of a whole sequence, like llama.cpp's detokenize: SentencePiece vocabularies drop one leading space
     * of the first token, the space that encoding put in front of the text (llama.cpp applies this to the first
     * token only, so after a BOS the space stays), and byte-level vocabularies whose pre-tokenizer asks for it tidy
     * spaces before punctuation and contractions ({@code " ,"} becomes {@code ","}, {@code " 's"} becomes
     * {@code "'s"}). Bytes that are not valid UTF-8 (a character cut off at the end) become U+FFFD.
     *
     * @param renderSpecial show control and unknown tokens as their text instead of leaving them out
     */
    String decode(int[] ids, boolean renderSpecial);

    /**
     * A decoder that turns generated tokens into text one at a time, never splitting a UTF-8 character. It prints
     * what {@link #tokenBytes(int)} gives, as llama.cpp prints generated tokens: no leading space is dropped and no
     * spaces are tidied, since the tokens continue a prompt.
     */
    TokenDecoder newStreamingDecoder();

    /** The beginning-of-sequence token, or -1 when the vocabulary has none. */
    int bosId();

    /** The end-of-sequence token, or -1 when the vocabulary has none. */
    int eosId();

    /** The id of the token whose vocabulary string is exactly {@code text}. */
    OptionalInt tokenId(String text);

    /**
     * Whether generation should stop at {@code id}: EOS, the end-of-turn and end-of-message tokens named in the
     * file, and tokens llama.cpp recognises by their text ({@code <|eot_id|>}, {@code <|im_end|>}, {@code <|end|>},
     * {@code <end_of_turn>}, {@code <|endoftext|>}, ...).
     */
    boolean isEndOfGeneration(int id);

    /** Whether {@link #encode} with {@code addSpecial} starts with BOS. */
    boolean addBosByDefault();
}
