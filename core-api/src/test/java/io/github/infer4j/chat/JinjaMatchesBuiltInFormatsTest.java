package io.github.infer4j.chat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.infer4j.chat.ModelChatTemplatesTest.CONVERSATION;
import static io.github.infer4j.chat.ModelChatTemplatesTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model templates against the llama.cpp built-in formats meant to reproduce them, as Chat uses both: where the
 * model's tokenizer adds BOS (Llama, Gemma, Mistral, Phi, Zephyr GGUFs) the template's leading BOS text is dropped;
 * Qwen and SmolLM2 GGUFs add none. (SmolLM2's BOS is {@code <|im_start|>}: were it added by the tokenizer, dropping
 * the text and adding the token would give the same tokens.)
 *
 * <p>Known differences, where the built-in format is only an approximation of the model's template:
 * <ul>
 *   <li>Llama 3.1/3.2/3.3 write "Cutting Knowledge Date" and "Today Date" lines into the system header; the
 *       built-in {@code llama3} (made for Llama 3.0) does not.</li>
 *   <li>Mistral v0.3's template puts the system prompt into the last user message, {@code mistral-v3} into the
 *       first.</li>
 *   <li>Llama 2 chat's template answers with {@code " " + answer + " </s>"} and opens later turns with
 *       {@code <s>}; the built-in {@code llama2-sys-strip} writes {@code answer + "</s>"} and no {@code <s>}.</li>
 *   <li>Gemma 2 refuses system messages; merged by llama.cpp's rule the system text is followed by one newline,
 *       where the built-in {@code gemma} (like Gemma 3's template) puts two.</li>
 *   <li>Phi-3.5 ends a conversation without generation prompt with the EOS text; the built-in {@code phi3} does
 *       not. The earlier Phi-3 mini template drops system messages, which {@code phi3} writes.</li>
 *   <li>Zephyr's template ends turns with {@code eos_token}: the built-in {@code zephyr} (made for StableLM
 *       Zephyr, whose EOS is {@code <|endoftext|>}) matches only models with that EOS, not zephyr-7b-beta's
 *       {@code </s>}.</li>
 * </ul>
 */
class JinjaMatchesBuiltInFormatsTest {

    private static String jinja(String file, String bos, String eos, boolean addsBos, boolean addGenerationPrompt) {
        return JinjaChatTemplate.of(resource(file), bos, eos, addsBos).render(CONVERSATION, addGenerationPrompt);
    }

    private static String builtIn(String name, boolean addGenerationPrompt) {
        return ChatTemplates.byName(name).render(CONVERSATION, addGenerationPrompt);
    }

    @ParameterizedTest(name = "{0} = {4}")
    @CsvSource({
            "qwen2.5-instruct.jinja, '', <|im_end|>, false, chatml",
            "qwen3.jinja, '', <|im_end|>, false, chatml",
            "smollm2-instruct.jinja, <|im_start|>, <|im_end|>, false, chatml",
            "llama-3-instruct.jinja, <|begin_of_text|>, <|eot_id|>, true, llama3",
            "gemma-3-it.jinja, <bos>, <eos>, true, gemma",
            "zephyr-7b-beta.jinja, <s>, <|endoftext|>, true, zephyr"})
    void sameTextWithAndWithoutGenerationPrompt(String file, String bos, String eos, boolean addsBos, String builtIn) {
        assertThat(jinja(file, bos, eos, addsBos, true)).isEqualTo(builtIn(builtIn, true));
        assertThat(jinja(file, bos, eos, addsBos, false)).isEqualTo(builtIn(builtIn, false));
    }

    @Test
    void phi35DiffersOnlyByTheClosingEosWithoutGenerationPrompt() {
        assertThat(jinja("phi-3.5-mini-instruct.jinja", "<s>", "<|endoftext|>", true, true)).isEqualTo(builtIn("phi3", true));
        assertThat(jinja("phi-3.5-mini-instruct.jinja", "<s>", "<|endoftext|>", true, false))
                .isEqualTo(builtIn("phi3", false) + "<|endoftext|>");
    }

    @Test
    void llama31DiffersOnlyByTheDateLines() {
        String dated = builtIn("llama3", true).replace("<|start_header_id|>system<|end_header_id|>\n\n",
                "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n");
        assertThat(jinja("llama-3.1-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", true, true)).isEqualTo(dated);
    }
}
