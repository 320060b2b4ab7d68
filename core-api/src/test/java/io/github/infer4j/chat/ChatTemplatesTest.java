package io.github.infer4j.chat;

import io.github.infer4j.Infer4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every built-in format against the exact text llama.cpp's llm_chat_apply_template produces for the same
 * conversation. The assistant answer carries surrounding whitespace on purpose: which formats trim it is part of
 * the format. Special tokens appear as text ({@code </s>}, {@code <s>}, {@code <|im_start|>}, ...); the leading
 * BOS never does.
 */
class ChatTemplatesTest {
    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("You are a terse assistant."),
            ChatMessage.user("What is the capital of France?"),
            ChatMessage.assistant("  Paris.\n"),
            ChatMessage.user("And of Italy?"));

    record Case(String name, String withoutPrompt, String withPrompt) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> formats() {
        return Stream.of(
                new Case("chatml",
                        "<|im_start|>system\nYou are a terse assistant.<|im_end|>\n"
                                + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n"
                                + "<|im_start|>assistant\n  Paris.\n<|im_end|>\n"
                                + "<|im_start|>user\nAnd of Italy?<|im_end|>\n",
                        "<|im_start|>system\nYou are a terse assistant.<|im_end|>\n"
                                + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n"
                                + "<|im_start|>assistant\n  Paris.\n<|im_end|>\n"
                                + "<|im_start|>user\nAnd of Italy?<|im_end|>\n"
                                + "<|im_start|>assistant\n"),
                // llama2: the system prompt is a plain first line; no assistant opening, so both strings agree.
                new Case("llama2",
                        "[INST] You are a terse assistant.\nWhat is the capital of France? [/INST]  Paris.\n</s>"
                                + "[INST] And of Italy? [/INST]",
                        "[INST] You are a terse assistant.\nWhat is the capital of France? [/INST]  Paris.\n</s>"
                                + "[INST] And of Italy? [/INST]"),
                new Case("llama2-sys",
                        "[INST] <<SYS>>\nYou are a terse assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST]"
                                + "  Paris.\n</s>[INST] And of Italy? [/INST]",
                        "[INST] <<SYS>>\nYou are a terse assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST]"
                                + "  Paris.\n</s>[INST] And of Italy? [/INST]"),
                // Later turns open with the BOS text <s>.
                new Case("llama2-sys-bos",
                        "[INST] <<SYS>>\nYou are a terse assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST]"
                                + "  Paris.\n</s><s>[INST] And of Italy? [/INST]",
                        "[INST] <<SYS>>\nYou are a terse assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST]"
                                + "  Paris.\n</s><s>[INST] And of Italy? [/INST]"),
                new Case("llama2-sys-strip",
                        "[INST] <<SYS>>\nYou are a terse assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST]"
                                + "Paris.</s>[INST] And of Italy? [/INST]",
                        "[INST] <<SYS>>\nYou are a terse assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST]"
                                + "Paris.</s>[INST] And of Italy? [/INST]"),
                new Case("llama3",
                        "<|start_header_id|>system<|end_header_id|>\n\nYou are a terse assistant.<|eot_id|>"
                                + "<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>"
                                + "<|start_header_id|>assistant<|end_header_id|>\n\nParis.<|eot_id|>"
                                + "<|start_header_id|>user<|end_header_id|>\n\nAnd of Italy?<|eot_id|>",
                        "<|start_header_id|>system<|end_header_id|>\n\nYou are a terse assistant.<|eot_id|>"
                                + "<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>"
                                + "<|start_header_id|>assistant<|end_header_id|>\n\nParis.<|eot_id|>"
                                + "<|start_header_id|>user<|end_header_id|>\n\nAnd of Italy?<|eot_id|>"
                                + "<|start_header_id|>assistant<|end_header_id|>\n\n"),
                new Case("mistral-v1",
                        " [INST] You are a terse assistant.\n\nWhat is the capital of France? [/INST]   Paris.\n</s>"
                                + " [INST] And of Italy? [/INST]",
                        " [INST] You are a terse assistant.\n\nWhat is the capital of France? [/INST]   Paris.\n</s>"
                                + " [INST] And of Italy? [/INST]"),
                new Case("mistral-v3",
                        "[INST] You are a terse assistant.\n\nWhat is the capital of France?[/INST] Paris.</s>"
                                + "[INST] And of Italy?[/INST]",
                        "[INST] You are a terse assistant.\n\nWhat is the capital of France?[/INST] Paris.</s>"
                                + "[INST] And of Italy?[/INST]"),
                new Case("mistral-v3-tekken",
                        "[INST]You are a terse assistant.\n\nWhat is the capital of France?[/INST]  Paris.\n</s>"
                                + "[INST]And of Italy?[/INST]",
                        "[INST]You are a terse assistant.\n\nWhat is the capital of France?[/INST]  Paris.\n</s>"
                                + "[INST]And of Italy?[/INST]"),
                new Case("mistral-v7",
                        "[SYSTEM_PROMPT] You are a terse assistant.[/SYSTEM_PROMPT][INST] What is the capital of France?[/INST]"
                                + "   Paris.\n</s>[INST] And of Italy?[/INST]",
                        "[SYSTEM_PROMPT] You are a terse assistant.[/SYSTEM_PROMPT][INST] What is the capital of France?[/INST]"
                                + "   Paris.\n</s>[INST] And of Italy?[/INST]"),
                new Case("mistral-v7-tekken",
                        "[SYSTEM_PROMPT]You are a terse assistant.[/SYSTEM_PROMPT][INST]What is the capital of France?[/INST]"
                                + "  Paris.\n</s>[INST]And of Italy?[/INST]",
                        "[SYSTEM_PROMPT]You are a terse assistant.[/SYSTEM_PROMPT][INST]What is the capital of France?[/INST]"
                                + "  Paris.\n</s>[INST]And of Italy?[/INST]"),
                // No system role: the system prompt opens the first user turn.
                new Case("gemma",
                        "<start_of_turn>user\nYou are a terse assistant.\n\nWhat is the capital of France?<end_of_turn>\n"
                                + "<start_of_turn>model\nParis.<end_of_turn>\n"
                                + "<start_of_turn>user\nAnd of Italy?<end_of_turn>\n",
                        "<start_of_turn>user\nYou are a terse assistant.\n\nWhat is the capital of France?<end_of_turn>\n"
                                + "<start_of_turn>model\nParis.<end_of_turn>\n"
                                + "<start_of_turn>user\nAnd of Italy?<end_of_turn>\n"
                                + "<start_of_turn>model\n"),
                new Case("phi3",
                        "<|system|>\nYou are a terse assistant.<|end|>\n<|user|>\nWhat is the capital of France?<|end|>\n"
                                + "<|assistant|>\n  Paris.\n<|end|>\n<|user|>\nAnd of Italy?<|end|>\n",
                        "<|system|>\nYou are a terse assistant.<|end|>\n<|user|>\nWhat is the capital of France?<|end|>\n"
                                + "<|assistant|>\n  Paris.\n<|end|>\n<|user|>\nAnd of Italy?<|end|>\n<|assistant|>\n"),
                new Case("zephyr",
                        "<|system|>\nYou are a terse assistant.<|endoftext|>\n"
                                + "<|user|>\nWhat is the capital of France?<|endoftext|>\n"
                                + "<|assistant|>\n  Paris.\n<|endoftext|>\n<|user|>\nAnd of Italy?<|endoftext|>\n",
                        "<|system|>\nYou are a terse assistant.<|endoftext|>\n"
                                + "<|user|>\nWhat is the capital of France?<|endoftext|>\n"
                                + "<|assistant|>\n  Paris.\n<|endoftext|>\n<|user|>\nAnd of Italy?<|endoftext|>\n"
                                + "<|assistant|>\n"));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void rendersExactlyLikeLlamaCpp(Case c) {
        ChatTemplate template = ChatTemplates.byName(c.name());
        assertThat(template.name()).isEqualTo(c.name());
        assertThat(template.render(CONVERSATION, false)).isEqualTo(c.withoutPrompt());
        assertThat(template.render(CONVERSATION, true)).isEqualTo(c.withPrompt());
    }

    @Test
    void everyBuiltInFormatIsCovered() {
        assertThat(formats().map(Case::name).toList()).containsExactlyInAnyOrderElementsOf(ChatTemplates.names());
    }

    @Test
    void gemmaHoldsTheSystemPromptUntilTheNextUserTurn() {
        List<ChatMessage> messages = List.of(
                ChatMessage.system(" Be brief. "),
                ChatMessage.assistant("Hello."),
                ChatMessage.user("Hi"));
        assertThat(ChatTemplates.byName("gemma").render(messages, false)).isEqualTo(
                "<start_of_turn>model\nHello.<end_of_turn>\n<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n");
    }

    @Test
    void trimsOnlyAsciiWhitespaceLikeC() {
        List<ChatMessage> messages = List.of(ChatMessage.user("\u00A0hi\u2003 \t\r\n\u000B\f"));
        assertThat(ChatTemplates.byName("llama3").render(messages, false))
                .isEqualTo("<|start_header_id|>user<|end_header_id|>\n\n\u00A0hi\u2003<|eot_id|>");
    }

    @Test
    void passesOtherRolesThrough() {
        List<ChatMessage> messages = List.of(new ChatMessage("tool", "42"));
        assertThat(ChatTemplates.byName("chatml").render(messages, false)).isEqualTo("<|im_start|>tool\n42<|im_end|>\n");
    }

    @Test
    void unknownNameListsTheBuiltInNames() {
        assertThatThrownBy(() -> ChatTemplates.byName("alpaca"))
                .isInstanceOf(Infer4jException.class)
                .hasMessageStartingWith("unknown chat template 'alpaca'; built-in templates: chatml, llama2, ")
                .hasMessageContaining("gemma")
                .hasMessageContaining("mistral-v7-tekken");
    }

    @Test
    void messagesNeedARoleAndContent() {
        assertThat(ChatMessage.system("s")).isEqualTo(new ChatMessage("system", "s"));
        assertThat(ChatMessage.user("u").role()).isEqualTo("user");
        assertThat(ChatMessage.assistant("a").role()).isEqualTo("assistant");
        assertThatThrownBy(() -> new ChatMessage("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatMessage("user", null)).isInstanceOf(NullPointerException.class);
    }
}
