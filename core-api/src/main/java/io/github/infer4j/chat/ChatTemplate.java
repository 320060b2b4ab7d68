package io.github.infer4j.chat;

import java.util.List;

/**
 * Turns a conversation into the prompt text a chat model was trained on. The text never starts with the BOS
 * token (the tokenizer adds it), but it may contain other special tokens written out as text (such as
 * {@code <|im_start|>} or {@code </s>}), so it must be tokenized with special-token parsing on.
 */
public interface ChatTemplate {

    /** The name {@link ChatTemplates#byName} knows this format by. */
    String name();

    /**
     * @param messages            the conversation so far, oldest first
     * @param addGenerationPrompt whether to end with the opening of an assistant turn, for the model to complete
     *                            (formats that have no such opening ignore it)
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt);
}
