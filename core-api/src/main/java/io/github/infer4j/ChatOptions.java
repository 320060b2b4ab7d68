package io.github.infer4j;

/**
 * Settings of a chat: an optional system prompt, an optional template name overriding the one the model's
 * metadata implies (see {@link io.github.infer4j.chat.ChatTemplates}), and the generation options of each reply.
 */
public record ChatOptions(String systemPrompt, String templateName, GenerationOptions generation) {
    public static ChatOptions defaults() {
        return new ChatOptions(null, null, GenerationOptions.defaults());
    }

    public ChatOptions system(String systemPrompt) {
        return new ChatOptions(systemPrompt, templateName, generation);
    }

    public ChatOptions template(String templateName) {
        return new ChatOptions(systemPrompt, templateName, generation);
    }

    public ChatOptions generation(GenerationOptions generation) {
        return new ChatOptions(systemPrompt, templateName, generation);
    }
}
