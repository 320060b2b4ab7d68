package io.github.infer4j.tokenizer;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.gguf.GgufValueType;
import io.github.infer4j.tokenizer.Vocabulary.VocabType;

import java.util.List;

/** Reads the {@code tokenizer.ggml.*} metadata of a GGUF file, filling in what is absent as llama.cpp does. */
final class GgufVocabulary {
    private static final String MODEL = "tokenizer.ggml.model";
    private static final String PRE = "tokenizer.ggml.pre";
    private static final String TOKENS = "tokenizer.ggml.tokens";
    private static final String SCORES = "tokenizer.ggml.scores";
    private static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    private static final String MERGES = "tokenizer.ggml.merges";

    private GgufVocabulary() {
    }

    static Vocabulary read(GgufMetadata metadata) {
        String model = metadata.getString(MODEL);
        VocabType type = VocabType.forGgufName(model);
        if (type == null) {
            throw metadata.invalid(MODEL, "unsupported tokenizer model '" + model + "'; supported: "
                    + VocabType.supported());
        }
        PreTokenizer pre = null;
        if (type == VocabType.BPE) {
            String preName = metadata.getString(PRE, "");
            pre = PreTokenizer.forName(preName);
            if (pre == null) {
                throw metadata.invalid(PRE, "unsupported pre-tokenizer '" + preName + "'; supported: "
                        + String.join(", ", PreTokenizer.supportedNames()));
            }
        }
        List<String> tokens = metadata.getStringList(TOKENS);
        int n = tokens.size();
        if (n == 0) {
            throw metadata.invalid(TOKENS, "the vocabulary is empty");
        }
        float[] scores = metadata.contains(SCORES) ? scores(metadata, n) : null;
        int[] tokenTypes = null;
        if (metadata.contains(TOKEN_TYPE)) {
            tokenTypes = metadata.getIntArray(TOKEN_TYPE);
            requireOnePerToken(metadata, TOKEN_TYPE, tokenTypes.length, n);
        }
        List<String> merges = type == VocabType.BPE ? metadata.getStringList(MERGES) : List.of();

        boolean spm = type == VocabType.SPM;
        int bos = tokenId(metadata, "bos", spm ? 1 : 11, n);
        int eos = tokenId(metadata, "eos", spm ? 2 : 11, n);
        int unknown = tokenId(metadata, "unknown", spm ? 0 : -1, n);
        int eot = tokenId(metadata, "eot", -1, n);
        int eom = tokenId(metadata, "eom", -1, n);
        boolean addBos = metadata.getBoolean("tokenizer.ggml.add_bos_token", spm || pre.addBosByDefault());
        boolean addEos = metadata.getBoolean("tokenizer.ggml.add_eos_token", false);
        boolean addSpacePrefix = metadata.getBoolean("tokenizer.ggml.add_space_prefix", spm);
        if (addBos && bos < 0) {
            throw metadata.invalid("tokenizer.ggml.add_bos_token", "is true, but there is no BOS token");
        }
        if (addEos && eos < 0) {
            throw metadata.invalid("tokenizer.ggml.add_eos_token", "is true, but there is no EOS token");
        }
        return new Vocabulary(type, pre, tokens, scores, tokenTypes, merges, bos, eos, unknown, eot, eom,
                addBos, addEos, addSpacePrefix);
    }

    /** llama.cpp accepts float32 and int32 scores. */
    private static float[] scores(GgufMetadata metadata, int tokenCount) {
        GgufValueType elementType = metadata.find(SCORES).orElseThrow().elementType();
        float[] scores;
        if (elementType == GgufValueType.FLOAT32 || elementType == GgufValueType.FLOAT64) {
            scores = metadata.getFloatArray(SCORES);
        } else {
            int[] integers = metadata.getIntArray(SCORES);
            scores = new float[integers.length];
            for (int i = 0; i < integers.length; i++) {
                scores[i] = integers[i];
            }
        }
        requireOnePerToken(metadata, SCORES, scores.length, tokenCount);
        return scores;
    }

    private static void requireOnePerToken(GgufMetadata metadata, String key, int length, int tokenCount) {
        if (length < tokenCount) {
            throw metadata.invalid(key, "has " + length + " entries for " + tokenCount + " tokens");
        }
    }

    /**
     * The id under {@code tokenizer.ggml.<name>_token_id}. As in llama.cpp, an id outside the vocabulary (files
     * write 0xFFFFFFFF for "none") leaves the default, and a default outside the vocabulary means none.
     */
    private static int tokenId(GgufMetadata metadata, String name, int dflt, int tokenCount) {
        int id = dflt < tokenCount ? dflt : -1;
        String key = "tokenizer.ggml." + name + "_token_id";
        if (metadata.contains(key)) {
            long value = metadata.getLong(key);
            if (value >= 0 && value < tokenCount) {
                id = (int) value;
            }
        }
        return id;
    }
}
