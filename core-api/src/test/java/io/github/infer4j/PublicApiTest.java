package io.github.infer4j;

import io.github.infer4j.sampling.SamplerConfig;
import io.github.infer4j.synthetic.SyntheticLlama;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user does, through public API only: load a model, chat two turns with streaming, close. */
class PublicApiTest {
    @TempDir
    Path dir;

    @Test
    void loadChatTwoTurnsWithStreamingAndClose() {
        Path file = SyntheticLlama.builder().weightType(DType.Q8_0).bpeTokenizer().write(dir.resolve("chat.gguf"));
        GenerationOptions generation = GenerationOptions.defaults()
                .sampler(SamplerConfig.defaults().withSeed(7)).maxTokens(8);
        Model model = Infer4j.load(file);
        try (Chat chat = model.newChat(ChatOptions.defaults().system("You are terse.").generation(generation))) {
            StringBuilder streamed = new StringBuilder();
            GenerationResult first = chat.send("Hello world", streamed::append);
            assertThat(streamed.toString()).isEqualTo(first.text());
            assertThat(first.tokens()).isNotEmpty();
            int afterFirstTurn = chat.processedTokens();

            StringBuilder streamed2 = new StringBuilder();
            GenerationResult second = chat.send("Say it again", streamed2::append);
            assertThat(streamed2.toString()).isEqualTo(second.text());
            // The second turn reuses the KV cache: without that it would reprocess the whole first turn too.
            assertThat(second.promptTokens()).isLessThan(afterFirstTurn);
            assertThat(chat.history()).hasSize(5);
        }
        model.close();
        assertThatThrownBy(model::newSession).isInstanceOf(Infer4jException.class).hasMessageContaining("closed");
    }
}
