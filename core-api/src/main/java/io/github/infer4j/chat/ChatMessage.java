package io.github.infer4j.chat;

import java.util.Objects;

/**
 * One turn of a conversation. Roles are free text so that formats which know more roles (such as {@code tool})
 * can use them; the built-in formats treat {@code system}, {@code user} and {@code assistant} specially.
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role.isEmpty()) {
            throw new IllegalArgumentException("a chat message needs a role, got an empty one");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    boolean isSystem() {
        return role.equals("system");
    }

    boolean isUser() {
        return role.equals("user");
    }

    boolean isAssistant() {
        return role.equals("assistant");
    }
}
