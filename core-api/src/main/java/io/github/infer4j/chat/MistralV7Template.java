package io.github.infer4j.chat;

import java.util.List;

/**
 * Mistral's v7 format, which gives the system prompt its own {@code [SYSTEM_PROMPT]} tags; the tekken flavour
 * drops the space after each tag. Assistant answers end with the EOS text {@code </s>}.
 */
record MistralV7Template(String name, String space) implements ChatTemplate {

    /** Has no assistant opening: the model answers right after {@code [/INST]}, so the flag changes nothing. */
    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder();
        for (ChatMessage message : messages) {
            if (message.isSystem()) {
                out.append("[SYSTEM_PROMPT]").append(space).append(message.content()).append("[/SYSTEM_PROMPT]");
            } else if (message.isUser()) {
                out.append("[INST]").append(space).append(message.content()).append("[/INST]");
            } else {
                out.append(space).append(message.content()).append("</s>");
            }
        }
        return out.toString();
    }
}
