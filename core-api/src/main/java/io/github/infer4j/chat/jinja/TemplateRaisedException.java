package io.github.infer4j.chat.jinja;

/**
 * The template itself refused the input through {@code raise_exception(message)}, as chat templates do when
 * roles do not alternate or a role is not supported. The message is exactly the template's.
 */
public final class TemplateRaisedException extends JinjaException {
    public TemplateRaisedException(String message) {
        super(message);
    }
}
