package io.github.infer4j.tokenizer;

import java.util.List;

/**
 * Everything a tokenizer needs, read from a model file with llama.cpp's defaults already applied. Kept apart from the
 * file format so that the tokenizers can be built and tested from plain data.
 *
 * @param type           which algorithm the vocabulary belongs to
 * @param preTokenizer   the BPE pre-tokenizer ({@code null} for SPM)
 * @param tokens         token strings, index = token id
 * @param scores         SPM merge scores per token, or {@code null} (all zero)
 * @param tokenTypes     GGUF token types per token, or {@code null} (all normal)
 * @param merges         BPE merges "left right", highest priority first (empty for SPM)
 * @param bosId          beginning-of-sequence token, -1 when none
 * @param eosId          end-of-sequence token, -1 when none
 * @param unknownId      token for text without a token, -1 when none
 * @param eotId          end-of-turn token, -1 when none
 * @param eomId          end-of-message token, -1 when none
 * @param addBos         whether encoding with special tokens starts with BOS
 * @param addEos         whether encoding with special tokens ends with EOS
 * @param addSpacePrefix whether SPM prefixes text with a space (and decoding drops it again)
 */
record Vocabulary(
        VocabType type,
        PreTokenizer preTokenizer,
        List<String> tokens,
        float[] scores,
        int[] tokenTypes,
        List<String> merges,
        int bosId,
        int eosId,
        int unknownId,
        int eotId,
        int eomId,
        boolean addBos,
        boolean addEos,
        boolean addSpacePrefix) {

    /** The two tokenizer algorithms, under their names in {@code tokenizer.ggml.model}. */
    enum VocabType {
        SPM("llama"),
        BPE("gpt2");

        private final String ggufName;

        VocabType(String ggufName) {
            this.ggufName = ggufName;
        }

        String ggufName() {
            return ggufName;
        }

        /** The type named {@code name} in GGUF, or {@code null} when it is not supported. */
        static VocabType forGgufName(String name) {
            for (VocabType type : values()) {
                if (type.ggufName.equals(name)) {
                    return type;
                }
            }
            return null;
        }

        static String supported() {
            return "'llama' (SentencePiece BPE), 'gpt2' (byte-level BPE)";
        }
    }

    Vocabulary {
        tokens = List.copyOf(tokens);
        merges = List.copyOf(merges);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no tokens");
        }
        if (scores != null && scores.length < tokens.size()) {
            throw new IllegalArgumentException(scores.length + " scores for " + tokens.size() + " tokens");
        }
        if (tokenTypes != null && tokenTypes.length < tokens.size()) {
            throw new IllegalArgumentException(tokenTypes.length + " token types for " + tokens.size() + " tokens");
        }
        if ((type == VocabType.BPE) != (preTokenizer != null)) {
            throw new IllegalArgumentException("a pre-tokenizer belongs to BPE vocabularies only");
        }
        checkId("bos", bosId, tokens.size());
        checkId("eos", eosId, tokens.size());
        checkId("unknown", unknownId, tokens.size());
        checkId("eot", eotId, tokens.size());
        checkId("eom", eomId, tokens.size());
        if ((addBos && bosId < 0) || (addEos && eosId < 0)) {
            throw new IllegalArgumentException("BOS/EOS is to be added but the vocabulary has none");
        }
    }

    private static void checkId(String name, int id, int size) {
        if (id < -1 || id >= size) {
            throw new IllegalArgumentException(name + " token id " + id + " outside the vocabulary of " + size);
        }
    }
}
