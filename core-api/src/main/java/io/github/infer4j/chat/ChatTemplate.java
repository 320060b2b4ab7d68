package io.github.infer4j.chat;

import java.util.List;

/**
 * Turns a conversation into the prompt text a chat model was trained on. The text is meant to be tokenized with
 * special tokens added and special-token parsing on: it contains special tokens written out as text (such as
 * {@code <|im_start|>} or {@code </s>}), and it does not start with the BOS text when the tokenizer adds BOS itself
 * (the built-in formats never write it; see {@link JinjaChatTemplate} for model templates).
 */
public interface ChatTemplate {

    /** The name {@link ChatTemplates#byName} knows a built-in format by; {@code "jinja"} for a model's own template. */
    String name();

    /**
     * @param messages            the conversation so far, oldest first
     * @param addGenerationPrompt whether to end with the opening of an assistant turn, for the model to complete
     *                            (formats that have no such opening ignore it)
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt);
}
