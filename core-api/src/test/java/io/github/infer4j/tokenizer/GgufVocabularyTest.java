package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufFormatException;
import io.github.infer4j.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading tokenizer metadata from small GGUF files: llama.cpp's defaults, and clear errors for what cannot work. */
class GgufVocabularyTest {
    private static final List<String> SPM_TOKENS = List.of("<unk>", "<s>", "</s>", "▁", "a", "b", "ab", "▁a");

    @TempDir
    Path dir;

    private Tokenizer load(Consumer<GgufWriter> keys) {
        GgufWriter writer = new GgufWriter().putString("general.architecture", "llama");
        keys.accept(writer);
        Path file = dir.resolve("vocab.gguf");
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            return Tokenizer.fromGguf(gguf.metadata());
        }
    }

    private static void spm(GgufWriter writer) {
        writer.putString("tokenizer.ggml.model", "llama")
                .putStringArray("tokenizer.ggml.tokens", SPM_TOKENS)
                .putFloatArray("tokenizer.ggml.scores", new float[] {0, 0, 0, -1, -1, -1, -2, -3})
                .putInt32Array("tokenizer.ggml.token_type", new int[] {2, 3, 3, 1, 1, 1, 1, 1});
    }

    private static void bpe(GgufWriter writer) {
        writer.putString("tokenizer.ggml.model", "gpt2")
                .putStringArray("tokenizer.ggml.tokens", List.of("a", "b", "ab", "Ġ"))
                .putStringArray("tokenizer.ggml.merges", List.of("a b"));
    }

    @Test
    void sentencePieceDefaultsAreLlamaCpps() {
        Tokenizer tokenizer = load(GgufVocabularyTest::spm);

        assertThat(tokenizer.bosId()).isEqualTo(1);
        assertThat(tokenizer.eosId()).isEqualTo(2);
        assertThat(tokenizer.addBosByDefault()).isTrue();
        assertThat(tokenizer.encode("ab", true, false)).containsExactly(1, 3, 6);
    }

    @Test
    void idsOutsideTheVocabularyKeepTheDefault() {
        Tokenizer tokenizer = load(w -> {
            spm(w);
            w.putUInt32("tokenizer.ggml.bos_token_id", 0xFFFF_FFFFL).putUInt32("tokenizer.ggml.eos_token_id", 6);
        });

        assertThat(tokenizer.bosId()).isEqualTo(1);
        assertThat(tokenizer.eosId()).isEqualTo(6);
        assertThat(tokenizer.isEndOfGeneration(6)).isTrue();
    }

    @Test
    void addBosAddEosAndSpacePrefixFollowTheFile() {
        Tokenizer tokenizer = load(w -> {
            spm(w);
            w.putBool("tokenizer.ggml.add_bos_token", false).putBool("tokenizer.ggml.add_eos_token", true)
                    .putBool("tokenizer.ggml.add_space_prefix", false);
        });

        assertThat(tokenizer.addBosByDefault()).isFalse();
        assertThat(tokenizer.encode("ab", true, false)).containsExactly(6, 2);
    }

    @Test
    void integerScoresAreAccepted() {
        Tokenizer tokenizer = load(w -> {
            spm(w);
            w.putInt32Array("tokenizer.ggml.scores", new int[] {0, 0, 0, -1, -1, -1, -2, -1});
        });

        // ▁a (-1) now outranks ab (-2)
        assertThat(tokenizer.encode("ab", false, false)).containsExactly(7, 5);
    }

    @Test
    void aByteLevelFileWithoutPreTokenizerUsesTheDefaultOne() {
        Tokenizer tokenizer = load(GgufVocabularyTest::bpe);

        assertThat(tokenizer.encode("ab a", false, false)).containsExactly(2, 3, 0);
        assertThat(tokenizer.addBosByDefault()).isFalse();
        // the BPE default BOS/EOS id 11 lies outside these four tokens
        assertThat(tokenizer.bosId()).isEqualTo(-1);
    }

    @Test
    void unsupportedTokenizerModelIsNamedWithTheSupportedOnes() {
        assertThatThrownBy(() -> load(w -> w.putString("tokenizer.ggml.model", "bert")
                .putStringArray("tokenizer.ggml.tokens", List.of("a"))))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("tokenizer.ggml.model")
                .hasMessageContaining("'bert'")
                .hasMessageContaining("'llama'")
                .hasMessageContaining("'gpt2'");
    }

    @Test
    void unsupportedPreTokenizerIsNamedWithTheSupportedOnes() {
        assertThatThrownBy(() -> load(w -> {
            bpe(w);
            w.putString("tokenizer.ggml.pre", "tekken");
        }))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("tokenizer.ggml.pre")
                .hasMessageContaining("'tekken'")
                .hasMessageContaining("llama-bpe")
                .hasMessageContaining("qwen2")
                .hasMessageContaining("smollm");
    }

    @Test
    void missingMergesAreReported() {
        assertThatThrownBy(() -> load(w -> w.putString("tokenizer.ggml.model", "gpt2")
                .putStringArray("tokenizer.ggml.tokens", List.of("a"))))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("tokenizer.ggml.merges");
    }

    @Test
    void tooFewScoresAreReported() {
        assertThatThrownBy(() -> load(w -> {
            spm(w);
            w.putFloatArray("tokenizer.ggml.scores", new float[] {0, 0});
        }))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("tokenizer.ggml.scores")
                .hasMessageContaining("2 entries for 8 tokens");
    }

    @Test
    void addingBosWithoutABosTokenIsReported() {
        assertThatThrownBy(() -> load(w -> {
            bpe(w);
            w.putBool("tokenizer.ggml.add_bos_token", true);
        }))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("tokenizer.ggml.add_bos_token");
    }

    @Test
    void duplicateTokensAreReported() {
        assertThatThrownBy(() -> load(w -> {
            spm(w);
            w.putStringArray("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "▁", "a", "b", "a", "▁a"));
        }))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("duplicate token")
                .hasMessageContaining("4 and 6");
    }

    @Test
    void idsOutsideTheVocabularyAreRejected() {
        Tokenizer tokenizer = load(GgufVocabularyTest::spm);

        assertThatThrownBy(() -> tokenizer.decode(new int[] {3, 8}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 8");
        assertThatThrownBy(() -> tokenizer.tokenText(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
