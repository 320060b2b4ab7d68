package io.github.infer4j.chat.jinja;

import io.github.infer4j.Infer4jException;

/**
 * A chat template failed: it does not parse ({@link TemplateSyntaxException}), it called
 * {@code raise_exception} ({@link TemplateRaisedException}), or rendering hit an error such as an undefined
 * value used in arithmetic. The message names the template line where that can be known.
 */
public class JinjaException extends Infer4jException {
    public JinjaException(String message) {
        super(message);
    }
}
