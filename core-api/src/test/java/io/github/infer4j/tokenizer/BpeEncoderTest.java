package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-level merging on vocabularies small enough to know the answer by hand. */
class BpeEncoderTest {
    private static final int A = 'a';
    private static final int B = 'b';
    private static final int C = 'c';

    @Test
    void mergesApplyInRankOrder() {
        // ids 256 ab, 257 bc, 258 abc
        List<String> extra = List.of("ab", "bc", "abc");
        int[] types = {1, 1, 1};

        Tokenizer abFirst = SyntheticVocabs.bpe(PreTokenizer.GPT2, extra, types, List.of("a b", "b c", "ab c"));
        Tokenizer bcFirst = SyntheticVocabs.bpe(PreTokenizer.GPT2, extra, types, List.of("b c", "a b", "ab c"));

        assertThat(abFirst.encode("abc", false, false)).containsExactly(258);
        assertThat(bcFirst.encode("abc", false, false)).containsExactly(A, 257);
    }

    @Test
    void equalRanksMergeTheLeftmostPairFirst() {
        Tokenizer tokenizer = SyntheticVocabs.bpe(PreTokenizer.GPT2, List.of("aa"), new int[] {1}, List.of("a a"));

        assertThat(tokenizer.encode("aaa", false, false)).containsExactly(256, A);
    }

    @Test
    void wordsAreMergedSeparately() {
        Tokenizer tokenizer = SyntheticVocabs.bpe(PreTokenizer.GPT2, List.of("ab", "Ġa"), new int[] {1, 1},
                List.of("a b", "Ġ a"));

        // " ab" is one word for the GPT-2 regex; "Ġa" ranks below "a b", so the word splits as Ġ + ab
        assertThat(tokenizer.encode("ab ab", false, false)).containsExactly(256, ' ', 256);
    }

    @Test
    void ignoreMergesEmitsAWordThatIsATokenWhole() {
        // "abc" is a token but no merge builds it
        List<String> extra = List.of("ab", "abc");
        List<String> merges = List.of("a b");

        Tokenizer llama3 = SyntheticVocabs.bpe(PreTokenizer.LLAMA3, extra, new int[] {1, 1}, merges);
        Tokenizer gpt2 = SyntheticVocabs.bpe(PreTokenizer.GPT2, extra, new int[] {1, 1}, merges);

        assertThat(llama3.encode("abc", false, false)).containsExactly(257);
        assertThat(gpt2.encode("abc", false, false)).containsExactly(256, C);
    }

    @Test
    void everyByteHasASpellingSoAnyTextRoundTrips() {
        Tokenizer tokenizer = SyntheticVocabs.bpe(PreTokenizer.QWEN2, List.of(), new int[0], List.of());
        String text = "tab\there\u0000nul é 😶‍🌫️ \r\n";

        assertThat(tokenizer.encode("é", false, false)).containsExactly(0xC3, 0xA9);
        assertThat(tokenizer.decode(tokenizer.encode(text, false, false))).isEqualTo(text);
    }

    @Test
    void mergesWhosePartsAreNoTokensStillApply() {
        // "xy" is no token, but "xy z" builds the token "xyz" from it
        Tokenizer tokenizer = SyntheticVocabs.bpe(PreTokenizer.GPT2, List.of("xyz"), new int[] {1},
                List.of("x y", "xy z"));

        assertThat(tokenizer.encode("xyz", false, false)).containsExactly(256);
        // a word that stops at the non-token "xy" falls back to its single ASCII characters
        assertThat(tokenizer.encode("xy", false, false)).containsExactly((int) 'x', (int) 'y');
    }
}
