package io.github.infer4j.chat;

import java.util.List;

/**
 * Formats where every turn is a role header, the content and an end-of-turn marker, and the generation prompt is
 * the assistant header: ChatML, Llama 3, Phi-3 and Zephyr differ only in those strings and in trimming.
 */
record HeaderedTemplate(String name, String beforeRole, String afterRole, String endOfTurn, boolean trimContent)
        implements ChatTemplate {

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder();
        for (ChatMessage message : messages) {
            out.append(beforeRole).append(message.role()).append(afterRole)
                    .append(trimContent ? CText.trim(message.content()) : message.content())
                    .append(endOfTurn);
        }
        if (addGenerationPrompt) {
            out.append(beforeRole).append("assistant").append(afterRole);
        }
        return out.toString();
    }
}
