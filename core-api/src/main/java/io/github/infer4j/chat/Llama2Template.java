package io.github.infer4j.chat;

import java.util.List;

/**
 * Llama 2 chat ({@code [INST] ... [/INST]}) and its variants. A turn opens with {@code [INST] } and closes after
 * the assistant's answer with the EOS text {@code </s>}; the opening BOS is left to the tokenizer.
 *
 * @param systemTags       wrap the system prompt in {@code <<SYS>>} tags; without them it is a plain first line
 * @param bosInsideHistory open every later turn with the BOS text {@code <s>}
 * @param trimContent      trim whitespace around every message
 */
record Llama2Template(String name, boolean systemTags, boolean bosInsideHistory, boolean trimContent)
        implements ChatTemplate {

    /** Has no assistant opening: the model answers right after {@code [/INST]}, so the flag changes nothing. */
    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder("[INST] ");
        boolean insideTurn = true;
        for (ChatMessage message : messages) {
            String content = trimContent ? CText.trim(message.content()) : message.content();
            if (!insideTurn) {
                insideTurn = true;
                out.append(bosInsideHistory ? "<s>[INST] " : "[INST] ");
            }
            if (message.isSystem()) {
                if (systemTags) {
                    out.append("<<SYS>>\n").append(content).append("\n<</SYS>>\n\n");
                } else {
                    out.append(content).append('\n');
                }
            } else if (message.isUser()) {
                out.append(content).append(" [/INST]");
            } else {
                out.append(content).append("</s>");
                insideTurn = false;
            }
        }
        return out.toString();
    }
}
