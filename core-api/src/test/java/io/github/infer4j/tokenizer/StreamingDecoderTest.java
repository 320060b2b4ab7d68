package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Token-by-token decoding never hands out part of a UTF-8 character. */
class StreamingDecoderTest {
    private static final String EMOJI_TEXT = "Lily saw 🚀 and 😶‍🌫️, then 🦙 said 你好!";

    @Test
    void holdsBackByteFallbackTokensUntilTheEmojiIsComplete() {
        Tokenizer tokenizer = RealVocabs.stories260K();
        int[] rocket = tokenizer.encode("🚀", false, false);
        // "▁" and the four byte tokens <0xF0> <0x9F> <0x9A> <0x80>: the tiny vocabulary knows no emoji
        assertThat(rocket).hasSize(5);

        TokenDecoder decoder = tokenizer.newStreamingDecoder();
        List<String> chunks = new ArrayList<>();
        for (int id : rocket) {
            chunks.add(decoder.accept(id));
        }
        assertThat(chunks).containsExactly(" ", "", "", "", "🚀");
        assertThat(decoder.flush()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2"})
    void everyChunkIsCompleteTextAndTheChunksAddUpToTheDecodedSequence(String vocabName) {
        Tokenizer tokenizer = RealVocabs.vocab(vocabName);
        int[] ids = tokenizer.encode(EMOJI_TEXT, true, false);

        TokenDecoder decoder = tokenizer.newStreamingDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            String chunk = decoder.accept(id);
            assertThat(chunk).doesNotContain("\uFFFD");
            // a lone surrogate would not survive the UTF-8 round trip
            assertThat(new String(chunk.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(chunk);
            streamed.append(chunk);
        }
        streamed.append(decoder.flush());

        assertThat(streamed.toString()).isEqualTo(tokenizer.decode(ids));
    }

    @Test
    void flushShowsAnUnfinishedCharacterAsReplacement() {
        Tokenizer tokenizer = RealVocabs.stories260K();
        int[] rocket = tokenizer.encode("🚀", false, false);

        TokenDecoder decoder = tokenizer.newStreamingDecoder();
        decoder.accept(rocket[0]);
        assertThat(decoder.accept(rocket[1])).isEmpty();
        assertThat(decoder.accept(rocket[2])).isEmpty();
        assertThat(decoder.flush()).isEqualTo("\uFFFD");
        assertThat(decoder.accept(tokenizer.encode("Lily", false, false)[0])).isNotEmpty().doesNotContain("\uFFFD");
    }
}
