package io.github.infer4j;

/**
 * Base of every error Infer4j reports to its users. Unchecked so that the five-line happy path stays five lines;
 * every message names what was wrong (file, field, expected value) so the caller can act without a stack trace.
 */
public class Infer4jException extends RuntimeException {
    public Infer4jException(String message) {
        super(message);
    }

    public Infer4jException(String message, Throwable cause) {
        super(message, cause);
    }
}
