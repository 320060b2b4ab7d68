package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small helpers whose exact behaviour the tokenizers rely on. */
class HelpersTest {

    private static String clean(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new String(bytes, 0, SpaceCleaner.clean(bytes), StandardCharsets.UTF_8);
    }

    @Test
    void spaceCleaningFollowsLlamaCppsThreePasses() {
        assertThat(clean("Hello , world ! Yes . No ?")).isEqualTo("Hello, world! Yes. No?");
        assertThat(clean("x ' y")).isEqualTo("x'y");
        assertThat(clean("it 's I 'm we 're you 've")).isEqualTo("it's I'm we're you've");
        assertThat(clean("don 't I 'd we 'll")).isEqualTo("don 't I 'd we 'll");
        // the blanked byte after a collapsed apostrophe hides the next one from the same pass
        assertThat(clean("a ' ' b")).isEqualTo("a'' b");
        assertThat(clean("")).isEmpty();
        assertThat(clean(" ,")).isEqualTo(",");
    }

    @Test
    void completeUtf8PrefixHoldsBackOnlyAnUnfinishedCharacter() {
        assertThat(Utf8.completePrefixLength(bytes(0xC3), 1)).isZero();
        assertThat(Utf8.completePrefixLength(bytes(0xC3, 0xA9), 2)).isEqualTo(2);
        assertThat(Utf8.completePrefixLength(bytes('a', 0xF0, 0x9F), 3)).isEqualTo(1);
        assertThat(Utf8.completePrefixLength(bytes('a', 0xF0, 0x9F, 0x98), 4)).isEqualTo(1);
        assertThat(Utf8.completePrefixLength(bytes(0xF0, 0x9F, 0x98, 0x80), 4)).isEqualTo(4);
        assertThat(Utf8.completePrefixLength(bytes('a', 0x80), 2)).as("stray continuation byte").isEqualTo(2);
        assertThat(Utf8.completePrefixLength(bytes(0xFF), 1)).as("never a lead byte").isEqualTo(1);
    }

    @Test
    void utf8EncodingMatchesTheJdk() {
        byte[] buffer = new byte[4];
        for (int codePoint : new int[] {'a', 0xE9, 0x2581, 0x1F680}) {
            int length = Utf8.encode(codePoint, buffer, 0);
            assertThat(java.util.Arrays.copyOf(buffer, length))
                    .isEqualTo(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        assertThat(Utf8.withoutLoneSurrogates("a\uD800b\uDC00")).isEqualTo("a\uFFFDb\uFFFD");
        String paired = "x\uD83D\uDE80y";
        assertThat(Utf8.withoutLoneSurrogates(paired)).isSameAs(paired);
    }

    @Test
    void byteLevelMappingIsGpt2s() {
        assertThat(ByteLevel.encode(' ')).isEqualTo('Ġ');
        assertThat(ByteLevel.encode('\n')).isEqualTo('Ċ');
        assertThat(ByteLevel.encode('a')).isEqualTo('a');
        assertThat(ByteLevel.encode(0xAD)).isEqualTo('\u0143');
        for (int b = 0; b < 256; b++) {
            assertThat(ByteLevel.decode(ByteLevel.encode(b))).isEqualTo(b);
        }
        assertThat(ByteLevel.decode('€')).isEqualTo(-1);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
