package io.github.infer4j;

import io.github.infer4j.chat.jinja.JinjaTemplate;
import io.github.infer4j.synthetic.SyntheticLlama;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat renders the model's own template. The synthetic model ships Llama 3's template, which starts with
 * {@code bos_token}, and a tokenizer that adds BOS: the prompt must hold exactly one BOS, as in Python where the
 * rendered text is tokenized without adding special tokens.
 */
class ChatTemplateResolutionTest {
    @TempDir
    Path dir;

    @Test
    void thePromptHoldsTheTemplatesTokensWithASingleBos() {
        Path file = SyntheticLlama.builder().weightType(DType.F32).bpeTokenizer().write(dir.resolve("chat.gguf"));
        GenerationOptions oneToken = GenerationOptions.defaults().maxTokens(1);
        try (Model model = Infer4j.load(file);
             Chat chat = model.newChat(ChatOptions.defaults().system("Be terse.").generation(oneToken))) {
            Tokenizer tokenizer = model.tokenizer();
            assertThat(tokenizer.addBosByDefault()).isTrue();
            String python = JinjaTemplate.parse(SyntheticLlama.LLAMA3_CHAT_TEMPLATE).render(Map.of(
                    "messages", List.of(Map.of("role", "system", "content", "Be terse."), Map.of("role", "user", "content", "Hello")),
                    "bos_token", "<|begin_of_text|>", "add_generation_prompt", true));
            int[] expected = tokenizer.encode(python, false, true);
            assertThat(expected[0]).isEqualTo(tokenizer.bosId());
            assertThat(expected[1]).isNotEqualTo(tokenizer.bosId());

            GenerationResult result = chat.send("Hello", token -> { });

            assertThat(result.promptTokens()).isEqualTo(expected.length);
        }
    }

    @Test
    void aTemplateNameInTheOptionsStillWins() {
        Path file = SyntheticLlama.builder().weightType(DType.F32).bpeTokenizer().write(dir.resolve("chat.gguf"));
        GenerationOptions oneToken = GenerationOptions.defaults().maxTokens(1);
        try (Model model = Infer4j.load(file);
             Chat chat = model.newChat(ChatOptions.defaults().template("chatml").generation(oneToken))) {
            GenerationResult result = chat.send("Hello", token -> { });
            int[] chatMl = model.tokenizer().encode("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n", true, true);
            assertThat(result.promptTokens()).isEqualTo(chatMl.length);
        }
    }
}
