package io.github.infer4j.sampling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StopStringMatcherTest {

    /** Feeds the pieces in order, checking after each that no shown text is ever taken back or exceeds the expected. */
    private static String stream(StopStringMatcher matcher, List<String> pieces, String expectedShown) {
        StringBuilder shown = new StringBuilder();
        for (String piece : pieces) {
            shown.append(matcher.accept(piece));
            assertThat(expectedShown).as("shown so far after piece '%s'", piece).startsWith(shown.toString());
            if (matcher.isStopped()) {
                break;
            }
        }
        shown.append(matcher.flush());
        return shown.toString();
    }

    private static List<String> characters(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            pieces.add(text.substring(i, i + 1));
        }
        return pieces;
    }

    @Test
    void withoutStopStringsEverythingPassesAtOnce() {
        StopStringMatcher matcher = new StopStringMatcher(List.of());
        assertThat(matcher.accept("Hello")).isEqualTo("Hello");
        assertThat(matcher.accept(", world")).isEqualTo(", world");
        assertThat(matcher.flush()).isEmpty();
        assertThat(matcher.isStopped()).isFalse();
    }

    @Test
    void cutsAtAStopStringInsideOnePiece() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("<|im_end|>"));
        assertThat(matcher.accept("Sure.<|im_end|>\n<|im_start|>user")).isEqualTo("Sure.");
        assertThat(matcher.isStopped()).isTrue();
        assertThat(matcher.stopString()).contains("<|im_end|>");
        assertThat(matcher.flush()).isEmpty();
        assertThatThrownBy(() -> matcher.accept("more")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("<|im_end|>");
    }

    @Test
    void findsAStopStringSplitIntoSingleCharacters() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("<|im_end|>"));
        String shown = stream(matcher, characters("Hi there <|im_end|> never shown"), "Hi there ");
        assertThat(shown).isEqualTo("Hi there ");
        assertThat(matcher.stopString()).contains("<|im_end|>");
    }

    @Test
    void holdsBackOnlyWhatCouldStartAStopString() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("</s>"));
        assertThat(matcher.accept("a<")).isEqualTo("a");
        assertThat(matcher.accept("/")).isEmpty();
        assertThat(matcher.accept("b")).isEqualTo("</b");
        assertThat(matcher.accept("done</")).isEqualTo("done");
        assertThat(matcher.flush()).as("the generation ended for another reason").isEqualTo("</");
        assertThat(matcher.isStopped()).isFalse();
    }

    @Test
    void keepsAnOverlappingPrefixAfterAFalseStart() {
        // "abcabc" is not "abcabd", but its tail "abc" may still be: it must stay held back, not be dropped or shown.
        StopStringMatcher matcher = new StopStringMatcher(List.of("abcabd"));
        assertThat(matcher.accept("abcab")).isEmpty();
        assertThat(matcher.accept("c")).isEqualTo("abc");
        assertThat(matcher.accept("abd tail")).isEmpty();
        assertThat(matcher.isStopped()).isTrue();

        StopStringMatcher again = new StopStringMatcher(List.of("aab"));
        assertThat(stream(again, characters("aaaab!"), "aa")).isEqualTo("aa");
        assertThat(again.isStopped()).isTrue();
    }

    @Test
    void choosesTheStopStringThatEndsFirst() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("xbc", "b"));
        assertThat(matcher.accept("axbc")).isEqualTo("ax");
        assertThat(matcher.stopString()).contains("b");

        StopStringMatcher sameEnd = new StopStringMatcher(List.of("d", "cd"));
        assertThat(sameEnd.accept("abcd")).as("of two ending together, the longer shows less").isEqualTo("ab");
        assertThat(sameEnd.stopString()).contains("cd");
    }

    @Test
    void handlesSeveralStopStringsWithSharedPrefixes() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("\n\nUser:", "\nHuman:"));
        String shown = stream(matcher, List.of("Fine", ".\n", "\nUs", "ed to\n", "Hum", "an: hi"), "Fine.\n\nUsed to");
        assertThat(shown).isEqualTo("Fine.\n\nUsed to");
        assertThat(matcher.stopString()).contains("\nHuman:");
    }

    @Test
    void theResultDoesNotDependOnHowTheTextIsSplit() {
        List<String> stops = List.of("###", "##x", "<end>", "en");
        String text = "a#b##c###d<en<end>e";
        StopStringMatcher whole = new StopStringMatcher(stops);
        String expected = whole.accept(text) + whole.flush();
        String expectedStop = whole.stopString().orElseThrow();
        assertThat(expected).isEqualTo("a#b##c");

        Random random = new Random(21);
        for (int round = 0; round < 200; round++) {
            List<String> pieces = new ArrayList<>();
            int at = 0;
            while (at < text.length()) {
                int next = Math.min(text.length(), at + 1 + random.nextInt(4));
                pieces.add(text.substring(at, next));
                at = next;
            }
            StopStringMatcher matcher = new StopStringMatcher(stops);
            assertThat(stream(matcher, pieces, expected)).as("pieces %s", pieces).isEqualTo(expected);
            assertThat(matcher.stopString()).contains(expectedStop);
        }
    }

    @Test
    void rejectsNullText() {
        assertThatThrownBy(() -> new StopStringMatcher(List.of("x")).accept(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void rejectsEmptyStopStrings() {
        assertThatThrownBy(() -> new StopStringMatcher(List.of("ok", ""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be empty");
    }
}
