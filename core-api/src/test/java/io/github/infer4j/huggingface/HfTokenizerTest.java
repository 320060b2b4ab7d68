package io.github.infer4j.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.internal.json.Json;
import io.github.infer4j.internal.json.JsonException;
import io.github.infer4j.internal.json.JsonObject;
import io.github.infer4j.testkit.HfTokenizerFiles;
import io.github.infer4j.testkit.LlamaCppVocabCases;
import io.github.infer4j.testkit.SharedModels;
import io.github.infer4j.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * tokenizer.json files written for llama.cpp's test vocabularies translate into tokenizers that encode every test
 * string exactly as the GGUF vocabularies do, with the same tokens, types and special tokens.
 */
class HfTokenizerTest {
    private static final JsonObject NO_CONFIG = Json.parseObject("{}", "config.json");

    @TempDir
    Path dir;

    private Tokenizer translate(JsonObject config, int vocabSize) {
        MetadataBuilder out = new MetadataBuilder();
        HfTokenizer.put(dir, config, vocabSize, out);
        return Tokenizer.fromGguf(out.build(dir));
    }

    private GgufMetadata translatedMetadata(int vocabSize) {
        MetadataBuilder out = new MetadataBuilder();
        HfTokenizer.put(dir, NO_CONFIG, vocabSize, out);
        return out.build(dir);
    }

    @ParameterizedTest
    @CsvSource({"llama-bpe, CLASSIC", "qwen2, MODERN", "gpt-2, CLASSIC", "llama-spm, CLASSIC", "llama-spm, MODERN"})
    void encodesLlamaCppTestVectorsLikeTheGgufVocabulary(String vocab, HfTokenizerFiles.Style style) throws Exception {
        Path gguf = SharedModels.file("vocab/ggml-vocab-" + vocab + ".gguf");
        Tokenizer expected;
        try (GgufFile file = GgufFile.open(gguf)) {
            expected = Tokenizer.fromGguf(file.metadata());
            HfTokenizerFiles.write(file.metadata(), dir, style);
        }
        Tokenizer actual = translate(NO_CONFIG, expected.vocabSize());

        assertThat(actual.vocabSize()).isEqualTo(expected.vocabSize());
        assertThat(actual.bosId()).isEqualTo(expected.bosId());
        assertThat(actual.eosId()).isEqualTo(expected.eosId());
        assertThat(actual.addBosByDefault()).isEqualTo(expected.addBosByDefault());
        for (int id = 0; id < expected.vocabSize(); id++) {
            // Equal pieces with and without rendering specials mean equal token types. The padding of the Qwen2
            // file predates the converter's switch from user-defined to unused padding tokens.
            boolean padding = expected.tokenText(id).startsWith("[PAD");
            if (!actual.tokenText(id).equals(expected.tokenText(id)) || !padding
                    && (!Arrays.equals(actual.tokenBytes(id, false), expected.tokenBytes(id, false))
                    || !Arrays.equals(actual.tokenBytes(id, true), expected.tokenBytes(id, true)))) {
                throw new AssertionError("token " + id + ": '" + actual.tokenText(id) + "' vs '"
                        + expected.tokenText(id) + "'");
            }
        }
        List<String> inputs = LlamaCppVocabCases.inputs(Path.of(gguf + ".inp"));
        List<int[]> llamaCpp = LlamaCppVocabCases.expected(Path.of(gguf + ".out"));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int[] ids = actual.encode(inputs.get(i), false, false);
            if (!Arrays.equals(ids, llamaCpp.get(i))) {
                failures.add("case " + i + " '" + inputs.get(i) + "': expected " + Arrays.toString(llamaCpp.get(i))
                        + " got " + Arrays.toString(ids));
            }
        }
        assertThat(failures).isEmpty();
        String withSpecials = expected.tokenText(Math.max(expected.eosId(), 0)) + " Hello world";
        assertThat(actual.encode(withSpecials, true, true)).containsExactly(expected.encode(withSpecials, true, true));
    }

    /** Writes tokenizer.json with a byte-level vocabulary of the 256 ASCII-range byte tokens "a".."d" and merges. */
    private void byteLevel(String preTokenizer, String extra) throws Exception {
        Files.writeString(dir.resolve(HfTokenizer.FILE), "{\"added_tokens\": [{\"id\": 5, \"content\": \"<|end|>\","
                + " \"special\": true}, {\"id\": 6, \"content\": \"<tool>\", \"special\": false}],"
                + " \"pre_tokenizer\": " + preTokenizer + ","
                + " \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2, \"Ġ\": 3, \"Ġab\": 4},"
                + " \"merges\": [\"a b\", [\"Ġ\", \"ab\"]]}" + extra + "}");
    }

    private static final String GPT2 = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true}";

    @Test
    void tokenTypesSpecialTokensAndPaddingFollowTheConverter() throws Exception {
        byteLevel(GPT2, ", \"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": [{\"Sequence\": {\"id\": \"A\"}},"
                + " {\"SpecialToken\": {\"id\": \"<|end|>\"}}]}");
        Files.writeString(dir.resolve(HfTokenizer.CONFIG_FILE), "{\"eos_token\": {\"content\": \"<|end|>\"},"
                + " \"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"}, {\"name\": \"default\", \"template\": \"D\"}]}");
        GgufMetadata meta = translatedMetadata(9);
        assertThat(meta.getString("tokenizer.ggml.model")).isEqualTo("gpt2");
        assertThat(meta.getString("tokenizer.ggml.pre")).isEqualTo("gpt-2");
        assertThat(meta.getStringList("tokenizer.ggml.tokens"))
                .containsExactly("a", "b", "ab", "Ġ", "Ġab", "<|end|>", "<tool>", "[PAD7]", "[PAD8]");
        assertThat(meta.getIntArray("tokenizer.ggml.token_type")).containsExactly(1, 1, 1, 1, 1, 3, 4, 5, 5);
        assertThat(meta.getStringList("tokenizer.ggml.merges")).containsExactly("a b", "Ġ ab");
        assertThat(meta.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(5);
        assertThat(meta.contains("tokenizer.ggml.bos_token_id")).isFalse();
        assertThat(meta.getBoolean("tokenizer.ggml.add_bos_token")).isFalse();
        assertThat(meta.getBoolean("tokenizer.ggml.add_eos_token")).isTrue();
        assertThat(meta.getString("tokenizer.chat_template")).isEqualTo("D");

        Tokenizer tokenizer = Tokenizer.fromGguf(meta);
        assertThat(tokenizer.encode("ab ab<tool>", true, false)).containsExactly(2, 4, 6, 5);
    }

    @Test
    void specialTokenIdsFallBackToConfigJsonAndTheTemplateFileToChatTemplateJinja() throws Exception {
        byteLevel(GPT2, "");
        Files.writeString(dir.resolve(HfTokenizer.TEMPLATE_FILE), "{{ messages }}");
        JsonObject config = Json.parseObject("{\"bos_token_id\": 5, \"eos_token_id\": [5, 6]}", "config.json");
        MetadataBuilder out = new MetadataBuilder();
        HfTokenizer.put(dir, config, 7, out);
        GgufMetadata meta = out.build(dir);
        assertThat(meta.getInt("tokenizer.ggml.bos_token_id")).isEqualTo(5);
        assertThat(meta.contains("tokenizer.ggml.eos_token_id")).as("a list of ids is left out").isFalse();
        assertThat(meta.contains("tokenizer.ggml.add_bos_token")).isFalse();
        assertThat(meta.getString("tokenizer.chat_template")).isEqualTo("{{ messages }}");
    }

    @Test
    void smolLmChainIsRecognisedAndStarCodersByItsSpaceCleaning() throws Exception {
        byteLevel("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Digits\", \"individual_digits\": true}, "
                + GPT2 + "]}", "");
        assertThat(translatedMetadata(7).getString("tokenizer.ggml.pre")).isEqualTo("smollm");
        Files.writeString(dir.resolve(HfTokenizer.CONFIG_FILE), "{\"clean_up_tokenization_spaces\": true}");
        assertThat(translatedMetadata(7).getString("tokenizer.ggml.pre")).isEqualTo("starcoder");
    }

    @Test
    void anUnknownPreTokenizerIsAnErrorThatShowsIt() throws Exception {
        byteLevel("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": {\"Regex\": \"\\\\p{N}{1,3}\"},"
                + " \"behavior\": \"Isolated\", \"invert\": false}, " + GPT2 + "]}", "");
        assertThatThrownBy(() -> translatedMetadata(7)).isInstanceOf(JsonException.class)
                .hasMessage(dir.resolve("tokenizer.json") + ": pre_tokenizer: the chain [Split '\\p{N}{1,3}', ByteLevel]"
                        + " is none of the pre-tokenizers Infer4j knows: llama-bpe (Split with Llama 3's regex, ByteLevel),"
                        + " qwen2 (Split with Qwen2's regex, ByteLevel), gpt-2 (ByteLevel with its regex), smollm (Digits,"
                        + " ByteLevel with its regex)");
        byteLevel("{\"type\": \"ByteLevel\", \"add_prefix_space\": true}", "");
        assertThatThrownBy(() -> translatedMetadata(7)).hasMessageContaining("the chain [ByteLevel] is none of");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}"
                + "| model.type: 'Unigram' is not supported; Infer4j reads BPE tokenizers",
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 9}}}"
                + "| model.vocab.a: token id 9 ('a') is outside the embedding table of 4 rows",
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 0}}}"
                + "| model.vocab.b: token id 0 is 'a' and 'b'",
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}, \"added_tokens\": [{\"id\": 1, \"content\": \"a\"}]}"
                + "| added_tokens[0].id: token 'a' has the ids 0 and 1",
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": [\"a b\"]}}"
                + "| model.merges[0]: 'a b' names or makes a token that is not in the vocabulary",
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a\"]}}"
                + "| model.merges[0]: 'a' is not two tokens separated by one space",
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [[\"a\"]]}}"
                + "| model.merges[0]: a merge pair has two tokens, found 1",
        "{\"model\": {\"type\": \"BPE\", \"byte_fallback\": true, \"vocab\": {\"a\": 0}, \"merges\": []}}"
                + "| model.merges: is empty; a byte-fallback BPE model needs its merges",
        "{\"model\": {\"type\": \"BPE\", \"byte_fallback\": true, \"unk_token\": \"<unk>\", \"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2}, \"merges\": [\"a b\"]}}"
                + "| model.unk_token: '<unk>' is not a token of the vocabulary",
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}, \"normalizer\": {\"type\": \"Lowercase\"}}"
                + "| normalizer: type Lowercase is not supported with a byte-level BPE model; supported: none, NFC",
    })
    void malformedOrUnsupportedTokenizersNameTheField(String json, String message) throws Exception {
        Files.writeString(dir.resolve(HfTokenizer.FILE), json);
        assertThatThrownBy(() -> translatedMetadata(4)).isInstanceOf(JsonException.class)
                .hasMessage(dir.resolve(HfTokenizer.FILE) + ": " + message);
    }

    @Test
    void specialTokensNamedInTheConfigMustExist() throws Exception {
        byteLevel(GPT2, "");
        Files.writeString(dir.resolve(HfTokenizer.CONFIG_FILE), "{\"bos_token\": \"<s>\"}");
        assertThatThrownBy(() -> translatedMetadata(7)).isInstanceOf(JsonException.class)
                .hasMessage(dir.resolve(HfTokenizer.CONFIG_FILE) + ": bos_token: '<s>' is not a token of the vocabulary");
    }

    @Test
    void aFolderWithoutTokenizerJsonIsAClearError() {
        assertThatThrownBy(() -> translatedMetadata(4))
                .hasMessage(dir + ": no tokenizer.json; Infer4j reads the tokenizer from that file");
    }
}
