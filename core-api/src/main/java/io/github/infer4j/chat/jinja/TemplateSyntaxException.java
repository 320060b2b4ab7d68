package io.github.infer4j.chat.jinja;

/** The template text is not valid in the Jinja subset Infer4j runs; the message names the line and column. */
public final class TemplateSyntaxException extends JinjaException {
    public TemplateSyntaxException(String message) {
        super(message);
    }
}
