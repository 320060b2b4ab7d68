package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Word splitting, in particular where java.util.regex would classify characters differently from llama.cpp
 * (expected pieces worked out from llama.cpp's unicode.cpp and its Unicode 15.1 tables).
 */
class PreTokenizerTest {

    private static List<String> split(PreTokenizer pre, String text) {
        IntList words = new IntList(8);
        pre.split(text, words);
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < words.size(); i += 2) {
            pieces.add(text.substring(words.get(i), words.get(i + 1)));
        }
        return pieces;
    }

    @Test
    void nonAsciiWhitespaceIsWhitespace() {
        // Java's own \s would make the two no-break spaces one "other" run
        assertThat(split(PreTokenizer.GPT2, "a\u00A0\u00A0b")).containsExactly("a", "\u00A0", "\u00A0", "b");
        assertThat(split(PreTokenizer.LLAMA3, "a\u3000\u3000b")).containsExactly("a", "\u3000", "\u3000b");
    }

    @Test
    void lettersAndDigitsNewInUnicode16AreOtherCharactersAsForLlamaCpp() {
        // U+A7CB LATIN CAPITAL LETTER RAMS HORN and U+1CCF0 OUTLINED DIGIT ZERO were assigned in Unicode 16
        assertThat(split(PreTokenizer.GPT2, "a\uA7CBb")).containsExactly("a", "\uA7CB", "b");
        assertThat(split(PreTokenizer.QWEN2, "a\uA7CBb")).containsExactly("a", "\uA7CBb");
        assertThat(split(PreTokenizer.LLAMA3, "1\uD833\uDCF02")).containsExactly("1", "\uD833\uDCF0", "2");
        assertThat(split(PreTokenizer.GPT2, "été 42")).containsExactly("été", " 42");
    }

    @Test
    void llama3GroupsDigitsByThreeAndQwen2SplitsEveryDigit() {
        assertThat(split(PreTokenizer.LLAMA3, "12345")).containsExactly("123", "45");
        assertThat(split(PreTokenizer.QWEN2, "123")).containsExactly("1", "2", "3");
        assertThat(split(PreTokenizer.SMOLLM, "x 123")).containsExactly("x", " ", "1", "2", "3");
    }

    @Test
    void contractionsAreCaseInsensitiveOnlyForLlama3Style() {
        assertThat(split(PreTokenizer.LLAMA3, "I'M here")).containsExactly("I", "'M", " here");
        assertThat(split(PreTokenizer.GPT2, "I'M here")).containsExactly("I", "'", "M", " here");
        assertThat(split(PreTokenizer.GPT2, "I'm here")).containsExactly("I", "'m", " here");
    }

    @Test
    void trailingWhitespaceRunsKeepTheirLastSpaceForTheNextWord() {
        assertThat(split(PreTokenizer.GPT2, "a   b")).containsExactly("a", "  ", " b");
        assertThat(split(PreTokenizer.LLAMA3, "a  \n\n b")).containsExactly("a", "  \n\n", " b");
        assertThat(split(PreTokenizer.GPT2, "a  ")).containsExactly("a", "  ");
    }

    @Test
    void theDefaultListAppliesEachRegexInsideThePiecesOfThePreviousOne() {
        assertThat(split(PreTokenizer.DEFAULT, "a+b 12345!")).containsExactly("a", "+", "b", " ", "123", "45", "!");
    }

    @Test
    void namesMapAsInLlamaCpp() {
        assertThat(PreTokenizer.forName("llama-bpe")).isEqualTo(PreTokenizer.LLAMA3);
        assertThat(PreTokenizer.forName("")).isEqualTo(PreTokenizer.DEFAULT);
        assertThat(PreTokenizer.forName("deepseek-r1-qwen")).isEqualTo(PreTokenizer.QWEN2);
        assertThat(PreTokenizer.forName("no-such-pre")).isNull();
        assertThat(PreTokenizer.LLAMA3.addBosByDefault()).isTrue();
        assertThat(PreTokenizer.QWEN2.cleanSpaces()).isFalse();
        assertThat(PreTokenizer.GPT2.cleanSpaces()).isTrue();
    }
}
