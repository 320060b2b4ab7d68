package io.github.infer4j.huggingface;

import io.github.infer4j.internal.json.JsonArray;
import io.github.infer4j.internal.json.JsonObject;
import io.github.infer4j.internal.json.JsonType;
import java.util.ArrayList;
import java.util.List;

/**
 * Recognises the pre-tokenizer of a byte-level BPE tokenizer.json as one of the pre-tokenizers llama.cpp knows by
 * name ({@code tokenizer.ggml.pre}), by comparing the chain of steps and its regex with the ones the models that use
 * each name ship. A chain that matches none is an error: a near miss would split text differently without a word.
 */
final class HfPreTokenizer {
    /** Meta Llama 3's split (digits in runs of up to three). */
    static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Qwen2 and Qwen3's split: Llama 3's with single digits. */
    static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final String KNOWN = "llama-bpe (Split with Llama 3's regex, ByteLevel), qwen2 (Split with Qwen2's"
            + " regex, ByteLevel), gpt-2 (ByteLevel with its regex), smollm (Digits, ByteLevel with its regex)";

    private HfPreTokenizer() {
    }

    /**
     * The llama.cpp name for the pre-tokenizer of {@code tokenizer}. {@code cleanSpaces} is tokenizer_config.json's
     * clean_up_tokenization_spaces, the one thing that tells StarCoder's chain from SmolLM's, which are the same.
     */
    static String name(JsonObject tokenizer, boolean cleanSpaces) {
        checkNormalizer(tokenizer);
        List<JsonObject> steps = steps(tokenizer);
        if (steps.size() == 2 && isSplit(steps.get(0), LLAMA3_REGEX) && isByteLevel(steps.get(1), false)) {
            return "llama-bpe";
        }
        if (steps.size() == 2 && isSplit(steps.get(0), QWEN2_REGEX) && isByteLevel(steps.get(1), false)) {
            return "qwen2";
        }
        if (steps.size() == 1 && isByteLevel(steps.get(0), true)) {
            return "gpt-2";
        }
        if (steps.size() == 2 && is(steps.get(0), "Digits") && steps.get(0).getBoolean("individual_digits", false)
                && isByteLevel(steps.get(1), true)) {
            return cleanSpaces ? "starcoder" : "smollm";
        }
        throw tokenizer.invalid("pre_tokenizer", describe(steps) + " is none of the pre-tokenizers Infer4j knows: "
                + KNOWN);
    }

    /** llama.cpp applies no normalizer to byte-level vocabularies; Qwen's NFC changes no text a model was fed. */
    private static void checkNormalizer(JsonObject tokenizer) {
        JsonObject normalizer = tokenizer.findObject("normalizer").orElse(null);
        if (normalizer != null && !is(normalizer, "NFC")) {
            throw tokenizer.invalid("normalizer", "type " + normalizer.getString("type", "?")
                    + " is not supported with a byte-level BPE model; supported: none, NFC");
        }
    }

    private static List<JsonObject> steps(JsonObject tokenizer) {
        List<JsonObject> steps = new ArrayList<>();
        JsonObject pre = tokenizer.findObject("pre_tokenizer").orElse(null);
        if (pre == null) {
            return steps;
        }
        if (!is(pre, "Sequence")) {
            steps.add(pre);
            return steps;
        }
        JsonArray list = pre.getArray("pretokenizers");
        for (int i = 0; i < list.size(); i++) {
            steps.add(list.getObject(i));
        }
        return steps;
    }

    private static boolean isSplit(JsonObject step, String regex) {
        return is(step, "Split") && step.typeOf("pattern") == JsonType.OBJECT
                && regex.equals(step.getObject("pattern").getString("Regex", null))
                && step.getString("behavior", "").equals("Isolated") && !step.getBoolean("invert", false);
    }

    /** Hugging Face's ByteLevel defaults are add_prefix_space and use_regex both true. */
    private static boolean isByteLevel(JsonObject step, boolean useRegex) {
        return is(step, "ByteLevel") && !step.getBoolean("add_prefix_space", true)
                && step.getBoolean("use_regex", true) == useRegex;
    }

    private static boolean is(JsonObject step, String type) {
        return type.equals(step.getString("type", null));
    }

    private static String describe(List<JsonObject> steps) {
        if (steps.isEmpty()) {
            return "no pre-tokenizer";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonObject step : steps) {
            sb.append(sb.isEmpty() ? "" : ", ").append(step.getString("type", "?"));
            if (step.typeOf("pattern") == JsonType.OBJECT) {
                JsonObject pattern = step.getObject("pattern");
                sb.append(" '").append(pattern.getString("Regex", pattern.getString("String", "?"))).append("'");
            }
        }
        return "the chain [" + sb + "]";
    }
}
