package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infer4j.testkit.LlamaCppVocabCases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public tokenizer API on the real vocabularies of the shared models folder. */
class TokenizerTest {
    private static final String STORY = "Once upon a time, there was a little girl named Lily.";

    @Test
    void stories260KEncodesThePromptLikeLlamaCpp() {
        Tokenizer tokenizer = RealVocabs.stories260K();

        assertThat(tokenizer.vocabSize()).isEqualTo(512);
        assertThat(tokenizer.addBosByDefault()).isTrue();
        assertThat(tokenizer.bosId()).isEqualTo(1);
        assertThat(tokenizer.eosId()).isEqualTo(2);
        assertThat(tokenizer.encode(STORY, true, false))
                .containsExactly(1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426);
        assertThat(tokenizer.encode(STORY, false, false))
                .containsExactly(403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426);
    }

    @Test
    void sentencePieceDecodingDropsTheSpacePrefixUnlessBosComesFirst() {
        Tokenizer tokenizer = RealVocabs.stories260K();

        assertThat(tokenizer.decode(tokenizer.encode(STORY, false, false))).isEqualTo(STORY);
        // llama.cpp strips only the first token's space; after BOS that token is BOS itself
        assertThat(tokenizer.decode(tokenizer.encode(STORY, true, false))).isEqualTo(" " + STORY);
        assertThat(tokenizer.decode(tokenizer.encode(STORY, true, false), true)).isEqualTo("<s> " + STORY);
    }

    @Test
    void tokenPiecesFollowTheTokenType() {
        Tokenizer tokenizer = RealVocabs.stories260K();

        assertThat(tokenizer.tokenText(1)).isEqualTo("<s>");
        assertThat(tokenizer.tokenBytes(1)).isEmpty();
        assertThat(tokenizer.tokenBytes(1, true)).isEqualTo("<s>".getBytes(StandardCharsets.UTF_8));
        assertThat(tokenizer.tokenText(13)).isEqualTo("<0x0A>");
        assertThat(tokenizer.tokenBytes(13)).containsExactly('\n');
        assertThat(tokenizer.tokenText(403)).startsWith("▁");
        assertThat(new String(tokenizer.tokenBytes(403), StandardCharsets.UTF_8))
                .isEqualTo(" " + tokenizer.tokenText(403).substring(1));
        assertThat(tokenizer.tokenId("<0x0A>")).hasValue(13);
        assertThat(tokenizer.tokenId("no such token")).isEmpty();

        Tokenizer bpe = RealVocabs.vocab("llama-bpe");
        int hello = bpe.tokenId("ĠHello").orElseThrow();
        assertThat(bpe.tokenBytes(hello)).isEqualTo(" Hello".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2"})
    void decodingRoundTripsWhereLlamaCppDoes(String vocabName) throws IOException {
        Tokenizer tokenizer = RealVocabs.vocab(vocabName);
        List<String> inputs = LlamaCppVocabCases.inputs(Path.of(RealVocabs.vocabFile(vocabName) + ".inp"));
        // llama-bpe and gpt-2 decode with clean_up_tokenization_spaces, which rewrites these on purpose
        boolean cleans = vocabName.equals("llama-bpe") || vocabName.equals("gpt-2");
        int checked = 0;
        for (String input : inputs) {
            if (cleans && input.matches("(?s).*( [?!.,]| ' | '[sm]| 're| 've).*")) {
                continue;
            }
            assertThat(tokenizer.decode(tokenizer.encode(input, false, false))).as(input).isEqualTo(input);
            checked++;
        }
        assertThat(checked).isGreaterThan(35);
    }

    @Test
    void cleanUpSpacesIsAppliedOnlyWhereThePreTokenizerAsksForIt() {
        String text = "Hello , world ! I 'm sure it 's fine .";
        Tokenizer llama3 = RealVocabs.vocab("llama-bpe");
        Tokenizer qwen2 = RealVocabs.vocab("qwen2");

        assertThat(llama3.decode(llama3.encode(text, false, false))).isEqualTo("Hello, world! I'm sure it's fine.");
        assertThat(qwen2.decode(qwen2.encode(text, false, false))).isEqualTo(text);
    }

    @Test
    void byteLevelVocabulariesAddBosAsTheirPreTokenizerSays() {
        Tokenizer llama3 = RealVocabs.vocab("llama-bpe");
        Tokenizer qwen2 = RealVocabs.vocab("qwen2");

        assertThat(llama3.addBosByDefault()).isTrue();
        assertThat(llama3.encode("Hello", true, false)).containsExactly(128000, 9906);
        assertThat(qwen2.addBosByDefault()).isFalse();
        assertThat(qwen2.encode("Hello", true, false)).containsExactly(qwen2.encode("Hello", false, false));
    }

    @Test
    void controlTokensAreRecognisedOnlyWhenParsingSpecialText() {
        Tokenizer llama3 = RealVocabs.vocab("llama-bpe");
        String prompt = "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>";

        int[] parsed = llama3.encode(prompt, false, true);
        assertThat(parsed).startsWith(128006).contains(128007).endsWith(128009);
        assertThat(llama3.decode(parsed)).isEqualTo("user\n\nHi");
        assertThat(llama3.decode(parsed, true)).isEqualTo(prompt);

        int[] literal = llama3.encode(prompt, false, false);
        assertThat(Arrays.stream(literal).max().orElseThrow()).isLessThan(128000);
        assertThat(llama3.decode(literal)).isEqualTo(prompt);
    }

    @Test
    void userDefinedTokensAreAlwaysRecognised() {
        Tokenizer qwen2 = RealVocabs.vocab("qwen2");
        int pad = qwen2.tokenId("[PAD151646]").orElseThrow();
        int imStart = qwen2.tokenId("<|im_start|>").orElseThrow();

        assertThat(qwen2.encode("a[PAD151646]b", false, false)).contains(pad);
        assertThat(qwen2.encode("<|im_start|>user", false, false)).doesNotContain(imStart);
        assertThat(qwen2.encode("<|im_start|>user", false, true)).startsWith(imStart);
    }

    @Test
    void sentencePieceTextAfterASpecialTokenGetsTheSpacePrefixAgain() {
        Tokenizer tokenizer = RealVocabs.stories260K();

        int[] once = tokenizer.encode("Once", false, false);
        int[] afterBos = tokenizer.encode("<s>Once", false, true);

        assertThat(afterBos[0]).isEqualTo(1);
        assertThat(Arrays.copyOfRange(afterBos, 1, afterBos.length)).containsExactly(once);
        assertThat(tokenizer.encode("<s>Once", false, false)).doesNotContain(1);
    }

    @Test
    void endOfGenerationCoversEosAndTheEndTokensKnownByText() {
        Tokenizer llama3 = RealVocabs.vocab("llama-bpe");
        assertThat(llama3.isEndOfGeneration(128001)).as("<|end_of_text|>").isTrue();
        assertThat(llama3.isEndOfGeneration(128009)).as("<|eot_id|>").isTrue();
        assertThat(llama3.isEndOfGeneration(128000)).as("<|begin_of_text|>").isFalse();
        assertThat(llama3.isEndOfGeneration(9906)).isFalse();

        Tokenizer qwen2 = RealVocabs.vocab("qwen2");
        assertThat(qwen2.isEndOfGeneration(qwen2.tokenId("<|im_end|>").orElseThrow())).isTrue();
        assertThat(qwen2.isEndOfGeneration(qwen2.tokenId("<|endoftext|>").orElseThrow())).isTrue();
        assertThat(qwen2.isEndOfGeneration(qwen2.tokenId("<|im_start|>").orElseThrow())).isFalse();

        Tokenizer stories = RealVocabs.stories260K();
        assertThat(stories.isEndOfGeneration(2)).isTrue();
        assertThat(stories.isEndOfGeneration(1)).isFalse();
        assertThat(stories.isEndOfGeneration(-1)).isFalse();
    }
}
