package io.github.infer4j.chat;

import java.util.List;

/**
 * Gemma's turns ({@code <start_of_turn>user}, {@code <start_of_turn>model}). Gemma has no system role, so system
 * prompts are held and written at the top of the next non-model turn, separated by a blank line.
 */
final class GemmaTemplate implements ChatTemplate {

    @Override
    public String name() {
        return "gemma";
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder();
        StringBuilder systemPrompt = new StringBuilder();
        for (ChatMessage message : messages) {
            if (message.isSystem()) {
                systemPrompt.append(CText.trim(message.content()));
                continue;
            }
            String role = message.isAssistant() ? "model" : message.role();
            out.append("<start_of_turn>").append(role).append('\n');
            if (!systemPrompt.isEmpty() && !role.equals("model")) {
                out.append(systemPrompt).append("\n\n");
                systemPrompt.setLength(0);
            }
            out.append(CText.trim(message.content())).append("<end_of_turn>\n");
        }
        if (addGenerationPrompt) {
            out.append("<start_of_turn>model\n");
        }
        return out.toString();
    }
}
