package io.github.infer4j.chat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The templates below are shortened, hand-written stand-ins for the Jinja templates models ship with. */
class ChatTemplateDetectionTest {

    private static Optional<String> detected(String template) {
        return ChatTemplates.detect(template).map(ChatTemplate::name);
    }

    @Test
    void noTemplateMeansNoFormat() {
        assertThat(ChatTemplates.detect(null)).isEmpty();
        assertThat(detected("")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"chatml", "llama3", "gemma", "mistral-v7-tekken", "llama2-sys-bos"})
    void aBuiltInNameSelectsThatFormat(String name) {
        assertThat(detected(name)).contains(name);
    }

    @Test
    void chatMlUnlessAnotherImStartFormat() {
        assertThat(detected("{% for m in messages %}{{'<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n'}}"
                + "{% endfor %}{% if add_generation_prompt %}{{'<|im_start|>assistant\\n'}}{% endif %}")).contains("chatml");
        // Phi-4 also opens turns with <|im_start|> but separates the role with <|im_sep|>: not ChatML.
        assertThat(detected("{{'<|im_start|>' + m['role'] + '<|im_sep|>' + m['content'] + '<|im_end|>'}}")).isEmpty();
    }

    @Test
    void llama3() {
        assertThat(detected("{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
                + " + message['content'] | trim + '<|eot_id|>' %}{{ content }}")).contains("llama3");
    }

    @Test
    void gemma() {
        assertThat(detected("{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% endif %}"
                + "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}")).contains("gemma");
    }

    @Test
    void phi3() {
        assertThat(detected("{{'<|user|>' + '\\n' + message['content'] + '<|end|>' + '\\n' + '<|assistant|>' + '\\n'}}"))
                .contains("phi3");
    }

    @Test
    void zephyrAsLlamaCppRecognisesIt() {
        assertThat(detected("{% if message['role'] == 'user' %}{{ '<|user|>\\n' + message['content'] + '<|endoftext|>\\n' }}"
                + "{% else %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|endoftext|>\\n' }}{% endif %}"))
                .contains("zephyr");
        // Spelling out both <|user|> and <|assistant|> is llama.cpp's sign of Falcon 3 / GLM-Edge, which come first.
        assertThat(detected("{{ '<|user|>\\n' + message['content'] + eos_token }}{{ '<|assistant|>' }}")).isEmpty();
    }

    @Test
    void llama2Variants() {
        String plain = "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
                + "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% endif %}";
        assertThat(detected(plain)).contains("llama2");
        assertThat(detected("{{ '[INST] <<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' }}")).contains("llama2-sys");
        assertThat(detected("{{ bos_token + '[INST] ' + content + ' [/INST]' }}{{ '<<SYS>>' }}")).contains("llama2-sys-bos");
        assertThat(detected("{{ '[INST] ' + content.strip() + ' [/INST]' }}{{ '<<SYS>>' }}")).contains("llama2-sys-strip");
        assertThat(detected("mistral-instruct")).as("a name starting with 'mistral'").contains("llama2");
    }

    @Test
    void mistralOfficialVariants() {
        assertThat(detected("{{ ' [INST] ' + system_message + '\\n\\n' + message['content'] + ' [/INST]' }}"))
                .contains("mistral-v1");
        assertThat(detected("{{ \"[AVAILABLE_TOOLS] [\" }}{{ \"[INST] \" + message[\"content\"] + \"[/INST]\" }}"))
                .as("v3 writes '[INST] ' with a space inside the quotes").contains("mistral-v3");
        assertThat(detected("{{ \"[AVAILABLE_TOOLS][\" }}{{ \"[INST]\" + message[\"content\"] + \"[/INST]\" }}"))
                .contains("mistral-v3-tekken");
        assertThat(detected("{{ '[SYSTEM_PROMPT] ' + message['content'] + '[/SYSTEM_PROMPT]' }}{{ '[INST] ' }}"))
                .contains("mistral-v7");
    }

    @Test
    void formatsWithoutABuiltInRendererAreNotGuessed() {
        assertThat(detected("{{ 'USER: ' + message['content'] }}{{ 'ASSISTANT: ' }}")).as("vicuna").isEmpty();
        assertThat(detected("{{ 'GPT4 Correct ' + message['role'].title() + ': ' }}")).as("openchat").isEmpty();
        assertThat(detected("{% for m in messages %}{{ m.content }}{% endfor %}")).isEmpty();
    }
}
