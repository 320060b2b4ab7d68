package io.github.infer4j.chat;

import java.util.List;

/**
 * Mistral's official v1, v3 and v3-tekken instruct formats: the system prompt joins the next user message inside
 * {@code [INST]}, and each assistant answer ends with the EOS text {@code </s>}. They differ in the spaces around
 * the tags and in v3 trimming the assistant's answers.
 */
record MistralTemplate(String name, String leadingSpace, String trailingSpace, boolean trimAssistant)
        implements ChatTemplate {

    /** Has no assistant opening: the model answers right after {@code [/INST]}, so the flag changes nothing. */
    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder();
        boolean insideTurn = false;
        for (ChatMessage message : messages) {
            if (!insideTurn) {
                out.append(leadingSpace).append("[INST]").append(trailingSpace);
                insideTurn = true;
            }
            if (message.isSystem()) {
                out.append(message.content()).append("\n\n");
            } else if (message.isUser()) {
                out.append(message.content()).append(leadingSpace).append("[/INST]");
            } else {
                String content = trimAssistant ? CText.trim(message.content()) : message.content();
                out.append(trailingSpace).append(content).append("</s>");
                insideTurn = false;
            }
        }
        return out.toString();
    }
}
