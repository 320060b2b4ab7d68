package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Special-token splitting in llama.cpp's order: longest token text first, over the whole input. */
class SpecialTokenSplitterTest {
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;
    private static final int UNKNOWN = 2;

    // ids 256 <a>, 257 <a><b>, 258 abcd, 259 xab, 260 [u], 261 <unk>
    private static final Tokenizer TOKENIZER = SyntheticVocabs.bpe(PreTokenizer.GPT2,
            List.of("<a>", "<a><b>", "abcd", "xab", "[u]", "<unk>"),
            new int[] {CONTROL, CONTROL, CONTROL, CONTROL, USER_DEFINED, UNKNOWN}, List.of());

    @Test
    void longerTokenTextsAreCutOutFirst() {
        assertThat(TOKENIZER.encode("<a><b><a>", false, true)).containsExactly(257, 256);
    }

    @Test
    void orderIsByLengthNotByPosition() {
        // scanning left to right would find "xab" first; llama.cpp cuts out the longer "abcd" before looking for it
        assertThat(TOKENIZER.encode("xabcd", false, true)).containsExactly((int) 'x', 258);
    }

    @Test
    void controlAndUnknownTokensNeedParsingButUserDefinedOnesDoNot() {
        assertThat(TOKENIZER.encode("<a>[u]<unk>", false, true)).containsExactly(256, 260, 261);
        assertThat(TOKENIZER.encode("<a>[u]<unk>", false, false))
                .containsExactly('<', 'a', '>', 260, '<', 'u', 'n', 'k', '>');
    }

    @Test
    void textBetweenSpecialTokensIsEncodedPieceByPiece() {
        assertThat(TOKENIZER.encode("q<a>r", false, true)).containsExactly('q', 256, 'r');
        assertThat(TOKENIZER.decode(TOKENIZER.encode("q<a>r", false, true), true)).isEqualTo("q<a>r");
        assertThat(TOKENIZER.decode(TOKENIZER.encode("q<a>r", false, true))).isEqualTo("qr");
    }
}
