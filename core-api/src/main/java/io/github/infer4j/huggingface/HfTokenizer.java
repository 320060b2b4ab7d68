package io.github.infer4j.huggingface;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.internal.json.Json;
import io.github.infer4j.internal.json.JsonArray;
import io.github.infer4j.internal.json.JsonObject;
import io.github.infer4j.internal.json.JsonType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Translates a Hugging Face tokenizer ({@code tokenizer.json}, with {@code tokenizer_config.json} and
 * {@code config.json} for the special tokens) into the {@code tokenizer.ggml.*} keys that llama.cpp's converter
 * writes, so the GGUF tokenizers run it unchanged. Two kinds of BPE model are understood:
 * <ul>
 * <li>byte-level BPE (Llama 3, Qwen2, GPT-2, SmolLM2): {@code gpt2} in GGUF, with the pre-tokenizer recognised by
 *     {@link HfPreTokenizer};</li>
 * <li>BPE with {@code byte_fallback} (Llama 2, Mistral, TinyLlama: SentencePiece models exported to
 *     tokenizer.json): {@code llama} in GGUF. SentencePiece merges the pair whose result has the highest score,
 *     Hugging Face the pair with the earliest merge; scoring each token by minus the rank of the first merge that
 *     makes it turns one rule into the other. Tokens no merge makes get the lowest score.</li>
 * </ul>
 * Token types follow the converter: added tokens are control tokens when marked special and user-defined
 * otherwise, {@code <0xAB>} tokens of a byte-fallback model are byte tokens, its unknown token is unknown, and ids
 * the tokenizer leaves unused up to the embedding's row count become {@code [PADn]} tokens of type unused.
 */
final class HfTokenizer {
    static final String FILE = "tokenizer.json";
    static final String CONFIG_FILE = "tokenizer_config.json";
    static final String TEMPLATE_FILE = "chat_template.jinja";
    private static final long MAX_TOKENIZER_BYTES = 256L << 20;
    private static final long MAX_CONFIG_BYTES = 64L << 20;

    private static final int NORMAL = 1;
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;
    private static final int UNUSED = 5;
    private static final int BYTE = 6;
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");

    private final JsonObject tokenizer;
    private final JsonObject tokenizerConfig;
    private final JsonObject config;
    private final JsonObject model;
    private final boolean spm;
    private final String[] tokens;
    private final int[] types;
    private final Map<String, Integer> ids;

    private HfTokenizer(JsonObject tokenizer, JsonObject tokenizerConfig, JsonObject config, int vocabSize) {
        this.tokenizer = tokenizer;
        this.tokenizerConfig = tokenizerConfig;
        this.config = config;
        this.model = tokenizer.getObject("model");
        String type = model.getString("type");
        if (!type.equals("BPE")) {
            throw model.invalid("type", "'" + type + "' is not supported; Infer4j reads BPE tokenizers");
        }
        this.spm = model.getBoolean("byte_fallback", false);
        this.tokens = new String[vocabSize];
        this.types = new int[vocabSize];
        this.ids = new HashMap<>(vocabSize * 2);
        readVocabulary();
    }

    /**
     * Puts the tokenizer keys for a model whose embedding table has {@code vocabSize} rows.
     *
     * @throws Infer4jException when a file is missing or malformed, or the tokenizer is of a kind not supported
     */
    static void put(Path folder, JsonObject config, int vocabSize, MetadataBuilder out) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new Infer4jException(folder + ": no " + FILE + "; Infer4j reads the tokenizer from that file");
        }
        JsonObject tokenizer = Json.readObject(file, MAX_TOKENIZER_BYTES);
        Path configFile = folder.resolve(CONFIG_FILE);
        JsonObject tokenizerConfig = Files.isRegularFile(configFile)
                ? Json.readObject(configFile, MAX_CONFIG_BYTES) : Json.parseObject("{}", CONFIG_FILE);
        new HfTokenizer(tokenizer, tokenizerConfig, config, vocabSize).put(folder, out);
    }

    private void readVocabulary() {
        JsonObject vocab = model.getObject("vocab");
        for (String text : vocab.keys()) {
            place(vocab.getInt(text), text, NORMAL, vocab, text);
        }
        JsonArray added = tokenizer.findArray("added_tokens").orElse(null);
        for (int i = 0; added != null && i < added.size(); i++) {
            JsonObject token = added.getObject(i);
            place(token.getInt("id"), token.getString("content"),
                    token.getBoolean("special", false) ? CONTROL : USER_DEFINED, token, "id");
        }
        if (spm) {
            for (int id = 0; id < tokens.length; id++) {
                if (types[id] == NORMAL && BYTE_TOKEN.matcher(tokens[id]).matches()) {
                    types[id] = BYTE;
                }
            }
            String unknown = model.getString("unk_token", null);
            if (unknown != null) {
                types[require(unknown, model, "unk_token")] = UNKNOWN;
            }
        }
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] == null) {
                tokens[id] = "[PAD" + id + "]";
                types[id] = UNUSED;
            }
        }
    }

    private void place(int id, String text, int type, JsonObject where, String key) {
        if (id < 0 || id >= tokens.length) {
            throw where.invalid(key, "token id " + id + " ('" + text + "') is outside the embedding table of "
                    + tokens.length + " rows");
        }
        if (tokens[id] != null && !tokens[id].equals(text)) {
            throw where.invalid(key, "token id " + id + " is '" + tokens[id] + "' and '" + text + "'");
        }
        Integer other = ids.putIfAbsent(text, id);
        if (other != null && other != id) {
            throw where.invalid(key, "token '" + text + "' has the ids " + other + " and " + id);
        }
        tokens[id] = text;
        types[id] = type;
    }

    private void put(Path folder, MetadataBuilder out) {
        List<String> merges = merges();
        out.putString("tokenizer.ggml.model", spm ? "llama" : "gpt2");
        if (spm) {
            out.putBool("tokenizer.ggml.add_space_prefix", addsSpacePrefix());
        } else {
            out.putString("tokenizer.ggml.pre", HfPreTokenizer.name(tokenizer,
                    tokenizerConfig.getBoolean("clean_up_tokenization_spaces", false)));
        }
        out.putStrings("tokenizer.ggml.tokens", Arrays.asList(tokens));
        out.putInt32s("tokenizer.ggml.token_type", types);
        if (spm) {
            out.putFloat32s("tokenizer.ggml.scores", scores(merges));
        } else {
            out.putStrings("tokenizer.ggml.merges", merges);
        }
        putSpecialToken("bos", out);
        putSpecialToken("eos", out);
        putSpecialToken("unk", out);
        putSpecialToken("pad", out);
        putAddSpecial(out);
        String template = chatTemplate(folder);
        if (template != null) {
            out.putString("tokenizer.chat_template", template);
        }
    }

    /** The merges as GGUF writes them, "left right"; tokenizer.json has that form or [left, right] pairs. */
    private List<String> merges() {
        JsonArray array = model.findArray("merges").orElse(null);
        List<String> merges = new ArrayList<>(array == null ? 0 : array.size());
        for (int i = 0; array != null && i < array.size(); i++) {
            String left;
            String right;
            if (array.typeOf(i) == JsonType.ARRAY) {
                JsonArray pair = array.getArray(i);
                if (pair.size() != 2) {
                    throw array.invalid(i, "a merge pair has two tokens, found " + pair.size());
                }
                left = pair.getString(0);
                right = pair.getString(1);
                if (left.indexOf(' ') >= 0 || right.indexOf(' ') >= 0) {
                    throw array.invalid(i, "a token with a space cannot be written as a GGUF merge");
                }
            } else {
                String merge = array.getString(i);
                int space = merge.indexOf(' ');
                if (space < 0 || merge.indexOf(' ', space + 1) >= 0) {
                    throw array.invalid(i, "'" + merge + "' is not two tokens separated by one space");
                }
                left = merge.substring(0, space);
                right = merge.substring(space + 1);
            }
            if (!ids.containsKey(left) || !ids.containsKey(right) || !ids.containsKey(left + right)) {
                throw array.invalid(i, "'" + left + " " + right + "' names or makes a token that is not in the"
                        + " vocabulary");
            }
            merges.add(left + " " + right);
        }
        if (spm && merges.isEmpty()) {
            throw model.invalid("merges", "is empty; a byte-fallback BPE model needs its merges");
        }
        return merges;
    }

    private float[] scores(List<String> merges) {
        float[] scores = new float[tokens.length];
        Arrays.fill(scores, Float.NaN);
        for (int rank = 0; rank < merges.size(); rank++) {
            int id = ids.get(merges.get(rank).replace(" ", ""));
            if (Float.isNaN(scores[id])) {
                scores[id] = -rank;
            }
        }
        float lowest = -merges.size();
        for (int id = 0; id < scores.length; id++) {
            if (Float.isNaN(scores[id])) {
                scores[id] = lowest;
            }
        }
        return scores;
    }

    /**
     * Whether SentencePiece-style encoding puts a space before the text: a normalizer that prepends "▁" (older
     * exports) or a Metaspace pre-tokenizer whose prepend scheme is not "never" (newer ones).
     */
    private boolean addsSpacePrefix() {
        JsonObject normalizer = tokenizer.findObject("normalizer").orElse(null);
        if (normalizer != null) {
            List<JsonObject> steps = new ArrayList<>();
            if (normalizer.getString("type", "").equals("Sequence")) {
                JsonArray list = normalizer.getArray("normalizers");
                for (int i = 0; i < list.size(); i++) {
                    steps.add(list.getObject(i));
                }
            } else {
                steps.add(normalizer);
            }
            for (JsonObject step : steps) {
                if (step.getString("type", "").equals("Prepend") && step.getString("prepend", "").equals("▁")) {
                    return true;
                }
            }
        }
        JsonObject pre = tokenizer.findObject("pre_tokenizer").orElse(null);
        if (pre != null && pre.getString("type", "").equals("Metaspace")) {
            return pre.has("prepend_scheme") ? !pre.getString("prepend_scheme").equals("never")
                    : pre.getBoolean("add_prefix_space", true);
        }
        return false;
    }

    /**
     * {@code tokenizer.ggml.<bos|eos|unknown|padding>_token_id}: the token tokenizer_config.json names (a string or
     * an object with its content), else the id config.json gives (lists of ids are left out, as the converter does).
     */
    private void putSpecialToken(String name, MetadataBuilder out) {
        String ggufName = switch (name) {
            case "unk" -> "unknown";
            case "pad" -> "padding";
            default -> name;
        };
        String key = name + "_token";
        int id = -1;
        if (tokenizerConfig.typeOf(key) == JsonType.STRING) {
            id = require(tokenizerConfig.getString(key), tokenizerConfig, key);
        } else if (tokenizerConfig.typeOf(key) == JsonType.OBJECT) {
            id = require(tokenizerConfig.getObject(key).getString("content"), tokenizerConfig, key);
        } else if (name.equals("unk") && spm && model.has("unk_token")) {
            id = require(model.getString("unk_token"), model, "unk_token");
        } else if (config.typeOf(name + "_token_id") == JsonType.NUMBER) {
            id = config.getInt(name + "_token_id");
            if (id < 0 || id >= tokens.length) {
                throw config.invalid(name + "_token_id", id + " is outside the vocabulary of " + tokens.length);
            }
        }
        if (id >= 0) {
            out.putUInt32("tokenizer.ggml." + ggufName + "_token_id", id);
        }
    }

    /**
     * {@code add_bos_token} and {@code add_eos_token} from tokenizer_config.json, else from the template the
     * post-processor wraps a single text in; left out (the GGUF defaults apply) when neither says.
     */
    private void putAddSpecial(MetadataBuilder out) {
        JsonArray single = templateSingle();
        for (String name : new String[] {"bos", "eos"}) {
            String key = "add_" + name + "_token";
            if (tokenizerConfig.has(key)) {
                out.putBool("tokenizer.ggml." + key, tokenizerConfig.getBoolean(key));
            } else if (single != null && single.size() > 0) {
                JsonObject edge = single.getObject(name.equals("bos") ? 0 : single.size() - 1);
                out.putBool("tokenizer.ggml." + key, edge.has("SpecialToken"));
            }
        }
    }

    /** The {@code single} template of a TemplateProcessing post-processor, alone or in a Sequence; else null. */
    private JsonArray templateSingle() {
        JsonObject post = tokenizer.findObject("post_processor").orElse(null);
        if (post == null) {
            return null;
        }
        if (post.getString("type", "").equals("TemplateProcessing")) {
            return post.getArray("single");
        }
        if (post.getString("type", "").equals("Sequence")) {
            JsonArray processors = post.getArray("processors");
            for (int i = 0; i < processors.size(); i++) {
                JsonObject p = processors.getObject(i);
                if (p.getString("type", "").equals("TemplateProcessing")) {
                    return p.getArray("single");
                }
            }
        }
        return null;
    }

    /**
     * tokenizer_config.json's chat_template (a string, or a list of named templates of which "default" is taken),
     * else the chat_template.jinja file newer versions of transformers write next to it.
     */
    private String chatTemplate(Path folder) {
        if (tokenizerConfig.typeOf("chat_template") == JsonType.STRING) {
            return tokenizerConfig.getString("chat_template");
        }
        if (tokenizerConfig.typeOf("chat_template") == JsonType.ARRAY) {
            JsonArray named = tokenizerConfig.getArray("chat_template");
            for (int i = 0; i < named.size(); i++) {
                if (named.getObject(i).getString("name").equals("default")) {
                    return named.getObject(i).getString("template");
                }
            }
            throw tokenizerConfig.invalid("chat_template", "has no template named 'default'");
        }
        Path file = folder.resolve(TEMPLATE_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new Infer4jException(file + ": the file is larger than the " + MAX_CONFIG_BYTES
                        + " bytes accepted for a chat template");
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw new Infer4jException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private int require(String text, JsonObject where, String key) {
        Integer id = ids.get(text);
        if (id == null) {
            throw where.invalid(key, "'" + text + "' is not a token of the vocabulary");
        }
        return id;
    }
}
