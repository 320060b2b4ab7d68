package io.github.infer4j.chat;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.chat.jinja.JinjaException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.infer4j.chat.ModelChatTemplatesTest.CONVERSATION;
import static io.github.infer4j.chat.ModelChatTemplatesTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules that fit a model's Jinja template to Infer4j's tokenization, and how a model's format is chosen. */
class JinjaChatTemplateTest {
    private static final String LLAMA3 = resource("llama-3-instruct.jinja");

    @Test
    void leadingBosIsDroppedOnlyWhenTheTokenizerAddsOne() {
        String kept = JinjaChatTemplate.of(LLAMA3, "<|begin_of_text|>", "<|eot_id|>", false).render(CONVERSATION, true);
        String dropped = JinjaChatTemplate.of(LLAMA3, "<|begin_of_text|>", "<|eot_id|>", true).render(CONVERSATION, true);
        assertThat(kept).startsWith("<|begin_of_text|><|start_header_id|>system");
        assertThat(dropped).isEqualTo(kept.substring("<|begin_of_text|>".length()));
    }

    @Test
    void bosTextsInsideTheConversationStay() {
        // Llama 2 opens every user turn with bos_token; only the one the tokenizer duplicates goes.
        String text = JinjaChatTemplate.of(resource("llama-2-chat.jinja"), "<s>", "</s>", true).render(CONVERSATION, true);
        assertThat(text).isEqualTo("[INST] <<SYS>>\nYou are a terse assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST]"
                + " Paris. </s><s>[INST] And of Italy? [/INST]");
    }

    @Test
    void anEmptyBosTextRemovesNothing() {
        JinjaChatTemplate template = JinjaChatTemplate.of("{{ bos_token }}[{{ messages[0].content }}]", "", "", true);
        assertThat(template.render(List.of(ChatMessage.user("hi")), true)).isEqualTo("[hi]");
    }

    @Test
    void theTemplateSeesTheEosTextAndTheGenerationFlag() {
        JinjaChatTemplate template = JinjaChatTemplate.of(
                "{% for m in messages %}{{ m.role }}:{{ m.content }}{{ eos_token }}{% endfor %}"
                        + "{{ 'GO' if add_generation_prompt else 'STOP' }}{{ tools is none }}", "<s>", "</s>", true);
        assertThat(template.render(List.of(ChatMessage.user("hi")), true)).isEqualTo("user:hi</s>GOTrue");
        assertThat(template.render(List.of(ChatMessage.user("hi")), false)).isEqualTo("user:hi</s>STOPTrue");
    }

    @Test
    void systemMessagesAreMergedOnlyForTemplatesThatRefuseThem() {
        String chatMl = "{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}";
        assertThat(JinjaChatTemplate.of(chatMl, "", "", false).render(CONVERSATION.subList(0, 2), false))
                .isEqualTo("<system>You are a terse assistant.<user>What is the capital of France?");
        String refusing = "{% if messages[0].role == 'system' %}{{ raise_exception('no system') }}{% endif %}" + chatMl;
        assertThat(JinjaChatTemplate.of(refusing, "", "", false).render(CONVERSATION.subList(0, 2), false))
                .isEqualTo("<user>You are a terse assistant.\nWhat is the capital of France?");
    }

    @Test
    void mergingFollowsLlamaCppsRule() {
        assertThat(JinjaChatTemplate.mergeSystemIntoUser(List.of(ChatMessage.system("a"), ChatMessage.system("b"),
                ChatMessage.user("c")))).containsExactly(ChatMessage.user("a\nb\nc"));
        assertThat(JinjaChatTemplate.mergeSystemIntoUser(List.of(ChatMessage.system("a"), ChatMessage.user(""))))
                .containsExactly(ChatMessage.user("a"));
        assertThat(JinjaChatTemplate.mergeSystemIntoUser(List.of(ChatMessage.system("a"), ChatMessage.assistant("x"),
                ChatMessage.user("y")))).containsExactly(ChatMessage.user("a"), ChatMessage.assistant("x"), ChatMessage.user("y"));
        assertThat(JinjaChatTemplate.mergeSystemIntoUser(List.of(ChatMessage.user("y"), ChatMessage.system("a"))))
                .containsExactly(ChatMessage.user("y"), ChatMessage.user("a"));
    }

    @Test
    void aTemplateThatCannotRenderOneUserMessageIsRejected() {
        assertThatThrownBy(() -> JinjaChatTemplate.of("{{ messages[0].content.shout() }}", "", "", false))
                .isInstanceOf(JinjaException.class)
                .hasMessage("the template cannot render a conversation of one user message: "
                        + "line 1: 'str object' has no attribute 'shout'");
    }

    @Test
    void modelsPreferTheirOwnTemplate() {
        ChatTemplate template = ChatTemplates.fromModel(LLAMA3, "<|begin_of_text|>", "<|eot_id|>", true);
        assertThat(template).isInstanceOf(JinjaChatTemplate.class);
        assertThat(template.name()).isEqualTo("jinja");
        assertThat(ChatTemplates.fromModel("gemma", "<bos>", "<eos>", true).name()).as("a built-in name").isEqualTo("gemma");
    }

    @Test
    void aTemplateOutsideTheSubsetFallsBackToTheBuiltInFormat() {
        String unsupported = "{% for m in messages %}{{ '<|im_start|>' + m.role + '\\n' + m.content | wordwrap + '<|im_end|>\\n' }}"
                + "{% endfor %}";
        assertThat(ChatTemplates.fromModel(unsupported, "", "", false).name()).isEqualTo("chatml");
    }

    @Test
    void noUsableFormatIsAnErrorThatSaysWhy() {
        assertThatThrownBy(() -> ChatTemplates.fromModel(null, "", "", true)).isInstanceOf(Infer4jException.class)
                .hasMessage("the model has no chat template");
        assertThatThrownBy(() -> ChatTemplates.fromModel("{% for m in messages %}{{ m.content }}", "", "", true))
                .isInstanceOf(Infer4jException.class)
                .hasMessage("the model's chat template cannot be rendered (line 1, column 39: unexpected end of template: "
                        + "expected {% else %} or {% endfor %} to close the 'for' block at line 1, column 4) and matches "
                        + "none of the built-in formats");
    }
}
