package io.github.infer4j.chat.jinja;

/**
 * A rendering error raised by the value helpers, which do not know the template line; the interpreter turns it
 * into a {@link JinjaException} that names the line of the expression being evaluated.
 */
final class EvalError extends RuntimeException {
    EvalError(String message) {
        super(message, null, false, false);
    }
}
