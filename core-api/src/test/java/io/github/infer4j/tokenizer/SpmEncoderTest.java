package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tokenizer.Vocabulary.VocabType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SentencePiece merging on vocabularies small enough to know the answer by hand. */
class SpmEncoderTest {
    private static final int NORMAL = 1;
    private static final int BYTE = 6;

    // ids: 3 ▁, 4 a, 5 b, 6 c, 7 ab, 8 bc, 9 ▁a
    private static final List<String> PIECES = List.of("▁", "a", "b", "c", "ab", "bc", "▁a");
    private static final int[] NORMAL_TYPES = {NORMAL, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL};

    @Test
    void theHighestScoringPairMergesFirst() {
        Tokenizer bcWins = SyntheticVocabs.spm(PIECES, new float[] {-1, -1, -1, -1, -3, -2, -5}, NORMAL_TYPES);
        Tokenizer abWins = SyntheticVocabs.spm(PIECES, new float[] {-1, -1, -1, -1, -2, -3, -5}, NORMAL_TYPES);

        // "▁abc": b-c first leaves ▁-a to merge last; a-b first takes the "a" that ▁a needed
        assertThat(bcWins.encode("abc", false, false)).containsExactly(9, 8);
        assertThat(abWins.encode("abc", false, false)).containsExactly(3, 7, 6);
    }

    @Test
    void equalScoresMergeTheLeftmostPairFirst() {
        Tokenizer tokenizer = SyntheticVocabs.spm(PIECES, new float[] {-1, -1, -1, -1, -2, -2, -5}, NORMAL_TYPES);

        assertThat(tokenizer.encode("abc", false, false)).containsExactly(3, 7, 6);
    }

    @Test
    void spacesBecomeTheMarkAndTheTextGetsOneInFront() {
        Tokenizer tokenizer = SyntheticVocabs.spm(PIECES, new float[] {-1, -1, -1, -1, -2, -2, -1}, NORMAL_TYPES);

        assertThat(tokenizer.encode("a a", false, false)).containsExactly(9, 9);
        assertThat(tokenizer.decode(tokenizer.encode("a a", false, false))).isEqualTo("a a");
        assertThat(tokenizer.encode("a", true, false)).containsExactly(1, 9);
    }

    @Test
    void charactersWithoutATokenFallBackToByteTokens() {
        List<String> pieces = new ArrayList<>(PIECES);
        int[] types = new int[PIECES.size() + 256];
        java.util.Arrays.fill(types, NORMAL);
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
            types[PIECES.size() + b] = BYTE;
        }
        Tokenizer tokenizer = SyntheticVocabs.spm(pieces, new float[pieces.size()], types);
        int byteBase = 3 + PIECES.size();

        assertThat(tokenizer.encode("é", false, false)).containsExactly(3, byteBase + 0xC3, byteBase + 0xA9);
        assertThat(tokenizer.decode(tokenizer.encode("aéb", false, false))).isEqualTo("aéb");
    }

    @Test
    void withoutByteTokensUnknownCharactersBecomeTheUnknownToken() {
        Tokenizer tokenizer = SyntheticVocabs.spm(PIECES, new float[PIECES.size()], NORMAL_TYPES);

        // one unknown token per UTF-8 byte, like the byte fallback it replaces
        assertThat(tokenizer.encode("aé", false, false)).containsExactly(9, 0, 0);
    }

    @Test
    void withNeitherByteTokensNorAnUnknownTokenEncodingFailsClearly() {
        List<String> tokens = List.of("▁", "a");
        Tokenizer tokenizer = new VocabTokenizer(new Vocabulary(VocabType.SPM, null, tokens, null, null, List.of(),
                -1, -1, -1, -1, -1, false, false, true));

        assertThatThrownBy(() -> tokenizer.encode("aé", false, false))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("U+00E9")
                .hasMessageContaining("<0xC3>");
    }
}
