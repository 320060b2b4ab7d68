package io.github.infer4j.testkit;

import io.github.infer4j.gguf.GgufMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code tokenizer.json} and {@code tokenizer_config.json} that Hugging Face ships for the tokenizer a
 * GGUF file holds, laid out as the models of each kind ship them: Llama 3, Qwen2, GPT-2 and SmolLM2 for byte-level
 * BPE (chosen by {@code tokenizer.ggml.pre}), and Llama 2's export of a SentencePiece model (BPE with byte fallback,
 * merges extracted from the scores as transformers' SentencePieceExtractor does) for {@code llama}. The pre-tokenizer
 * regexes are spelled here as those files spell them.
 */
public final class HfTokenizerFiles {
    private static final String LLAMA3_SPLIT = "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(?i:'s|'t|'re|'ve|'m|'ll|'d)"
            + "|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}{1,3}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+"
            + "|\\\\s+(?!\\\\S)|\\\\s+\"},\"behavior\":\"Isolated\",\"invert\":false}";
    private static final String QWEN2_SPLIT = "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(?i:'s|'t|'re|'ve|'m|'ll|'d)"
            + "|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+"
            + "|\\\\s+(?!\\\\S)|\\\\s+\"},\"behavior\":\"Isolated\",\"invert\":false}";
    private static final String BYTE_LEVEL_NO_REGEX =
            "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}";
    private static final String BYTE_LEVEL =
            "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}";
    private static final int TYPE_NORMAL = 1;
    private static final int TYPE_CONTROL = 3;
    private static final int TYPE_USER_DEFINED = 4;

    /** How the SentencePiece-style export writes its merges and space prefix. */
    public enum Style {
        /** Merges as "left right" strings; a Prepend normalizer adds the space (Llama 2's export). */
        CLASSIC,
        /** Merges as [left, right] pairs; a Metaspace pre-tokenizer adds the space (newer exports). */
        MODERN
    }

    private HfTokenizerFiles() {
    }

    /** Writes both files for the tokenizer in {@code meta} into {@code folder}. */
    public static void write(GgufMetadata meta, Path folder, Style style) {
        List<String> tokens = meta.getStringList("tokenizer.ggml.tokens");
        int[] types = meta.getIntArray("tokenizer.ggml.token_type");
        boolean spm = meta.getString("tokenizer.ggml.model").equals("llama");
        StringBuilder json = new StringBuilder("{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,");
        json.append("\"added_tokens\":[");
        String separator = "";
        for (int id = 0; id < tokens.size(); id++) {
            boolean special = types[id] == TYPE_CONTROL || (spm && types[id] == 2);
            if (special || types[id] == TYPE_USER_DEFINED && !tokens.get(id).startsWith("[PAD")) {
                json.append(separator).append("{\"id\":").append(id).append(",\"content\":")
                        .append(JsonText.quote(tokens.get(id))).append(",\"single_word\":false,\"lstrip\":false,"
                                + "\"rstrip\":false,\"normalized\":false,\"special\":").append(special).append('}');
                separator = ",";
            }
        }
        json.append("],");
        String bos = specialText(meta, tokens, "bos");
        if (spm) {
            spmParts(meta, json, style, bos);
        } else {
            bpeParts(meta, json, bos);
        }
        json.append("\"vocab\":{");
        separator = "";
        for (int id = 0; id < tokens.size(); id++) {
            // Byte-level files keep their special tokens out of the model's vocabulary; SentencePiece exports do not.
            if (spm || types[id] == TYPE_NORMAL) {
                json.append(separator).append(JsonText.quote(tokens.get(id))).append(':').append(id);
                separator = ",";
            }
        }
        json.append("},\"merges\":");
        List<String> merges = spm ? extractMerges(meta, tokens) : meta.getStringList("tokenizer.ggml.merges");
        json.append(style == Style.MODERN ? pairs(merges) : JsonText.strings(merges)).append("}}");
        writeString(folder.resolve("tokenizer.json"), json.toString());
        writeString(folder.resolve("tokenizer_config.json"), tokenizerConfig(meta, tokens, bos));
    }

    private static void bpeParts(GgufMetadata meta, StringBuilder json, String bos) {
        String pre = meta.getString("tokenizer.ggml.pre");
        String chain = switch (pre) {
            case "llama-bpe" -> sequence(LLAMA3_SPLIT, BYTE_LEVEL_NO_REGEX);
            case "qwen2" -> sequence(QWEN2_SPLIT, BYTE_LEVEL_NO_REGEX);
            case "gpt-2" -> BYTE_LEVEL;
            case "smollm" -> sequence("{\"type\":\"Digits\",\"individual_digits\":true}", BYTE_LEVEL);
            default -> throw new IllegalArgumentException("no Hugging Face layout known for pre-tokenizer " + pre);
        };
        json.append("\"normalizer\":").append(pre.equals("qwen2") ? "{\"type\":\"NFC\"}" : "null").append(',');
        json.append("\"pre_tokenizer\":").append(chain).append(',');
        if (pre.equals("llama-bpe")) {
            json.append("\"post_processor\":{\"type\":\"Sequence\",\"processors\":[").append(BYTE_LEVEL_NO_REGEX)
                    .append(",{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":")
                    .append(JsonText.quote(bos)).append(",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}],"
                            + "\"pair\":[],\"special_tokens\":{}}]},");
        } else {
            json.append("\"post_processor\":").append(BYTE_LEVEL_NO_REGEX).append(',');
        }
        json.append("\"decoder\":").append(BYTE_LEVEL_NO_REGEX).append(',');
        json.append("\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":null,\"continuing_subword_prefix\":null,"
                + "\"end_of_word_suffix\":null,\"fuse_unk\":false,\"byte_fallback\":false,\"ignore_merges\":")
                .append(pre.equals("llama-bpe")).append(',');
    }

    private static String sequence(String first, String second) {
        return "{\"type\":\"Sequence\",\"pretokenizers\":[" + first + "," + second + "]}";
    }

    private static void spmParts(GgufMetadata meta, StringBuilder json, Style style, String bos) {
        boolean prefix = meta.getBoolean("tokenizer.ggml.add_space_prefix", true);
        if (style == Style.CLASSIC) {
            json.append("\"normalizer\":{\"type\":\"Sequence\",\"normalizers\":[")
                    .append(prefix ? "{\"type\":\"Prepend\",\"prepend\":\"▁\"}," : "")
                    .append("{\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},\"content\":\"▁\"}]},")
                    .append("\"pre_tokenizer\":null,");
        } else {
            json.append("\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Metaspace\",\"replacement\":\"▁\","
                    + "\"prepend_scheme\":\"").append(prefix ? "first" : "never").append("\",\"split\":false},");
        }
        json.append("\"post_processor\":{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":")
                .append(JsonText.quote(bos)).append(",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}],"
                        + "\"pair\":[],\"special_tokens\":{}},");
        json.append("\"decoder\":{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Replace\",\"pattern\":{\"String\":\"▁\"},"
                + "\"content\":\" \"},{\"type\":\"ByteFallback\"},{\"type\":\"Fuse\"}]},");
        int unknown = meta.getInt("tokenizer.ggml.unknown_token_id", 0);
        json.append("\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":")
                .append(JsonText.quote(meta.getStringList("tokenizer.ggml.tokens").get(unknown)))
                .append(",\"continuing_subword_prefix\":null,\"end_of_word_suffix\":null,\"fuse_unk\":true,"
                        + "\"byte_fallback\":true,\"ignore_merges\":false,");
    }

    /**
     * transformers' SentencePieceExtractor: for every piece, each split into two pieces of the vocabulary (ordered by
     * the ids of left and right), then all of them stably sorted by the piece's score, highest first.
     */
    private static List<String> extractMerges(GgufMetadata meta, List<String> tokens) {
        float[] scores = meta.getFloatArray("tokenizer.ggml.scores");
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < tokens.size(); id++) {
            ids.put(tokens.get(id), id);
        }
        record Merge(int left, int right, float score) {
        }
        List<Merge> merges = new ArrayList<>();
        for (int id = 0; id < tokens.size(); id++) {
            String piece = tokens.get(id);
            List<Merge> local = new ArrayList<>();
            for (int split = 1; split < piece.length(); split++) {
                if (Character.isLowSurrogate(piece.charAt(split))) {
                    continue;
                }
                Integer left = ids.get(piece.substring(0, split));
                Integer right = ids.get(piece.substring(split));
                if (left != null && right != null) {
                    local.add(new Merge(left, right, scores[id]));
                }
            }
            local.sort((a, b) -> a.left() != b.left() ? Integer.compare(a.left(), b.left())
                    : Integer.compare(a.right(), b.right()));
            merges.addAll(local);
        }
        merges.sort((a, b) -> Float.compare(b.score(), a.score()));
        List<String> out = new ArrayList<>(merges.size());
        for (Merge m : merges) {
            out.add(tokens.get(m.left()) + " " + tokens.get(m.right()));
        }
        return out;
    }

    private static String pairs(List<String> merges) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < merges.size(); i++) {
            String[] parts = merges.get(i).split(" ", 2);
            sb.append(i > 0 ? "," : "").append('[').append(JsonText.quote(parts[0])).append(',')
                    .append(JsonText.quote(parts[1])).append(']');
        }
        return sb.append(']').toString();
    }

    private static String tokenizerConfig(GgufMetadata meta, List<String> tokens, String bos) {
        StringBuilder json = new StringBuilder("{\"tokenizer_class\":\"PreTrainedTokenizerFast\",");
        json.append("\"clean_up_tokenization_spaces\":false,");
        if (bos != null) {
            json.append("\"bos_token\":").append(JsonText.quote(bos)).append(',');
        }
        String eos = specialText(meta, tokens, "eos");
        if (eos != null) {
            // Newer files write special tokens as AddedToken objects; one of each form covers both.
            json.append("\"eos_token\":{\"__type\":\"AddedToken\",\"content\":").append(JsonText.quote(eos))
                    .append(",\"lstrip\":false,\"normalized\":false,\"rstrip\":false,\"single_word\":false},");
        }
        for (String key : new String[] {"add_bos_token", "add_eos_token"}) {
            if (meta.contains("tokenizer.ggml." + key)) {
                json.append('"').append(key).append("\":").append(meta.getBoolean("tokenizer.ggml." + key)).append(',');
            }
        }
        String template = meta.getString("tokenizer.chat_template", null);
        if (template != null) {
            json.append("\"chat_template\":").append(JsonText.quote(template)).append(',');
        }
        json.append("\"model_max_length\":131072}");
        return json.toString();
    }

    private static String specialText(GgufMetadata meta, List<String> tokens, String name) {
        String key = "tokenizer.ggml." + name + "_token_id";
        return meta.contains(key) ? tokens.get(meta.getInt(key)) : null;
    }

    static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
