package io.github.infer4j.internal.json;

import io.github.infer4j.Infer4jException;

/**
 * A JSON document is malformed, or a value in it is not what the reader expected. The message names the document
 * (usually its file) and either the line and column of a syntax error or the path of the value at fault, e.g.
 * {@code config.json: rope_scaling.factor: expected a number, found string}.
 */
public final class JsonException extends Infer4jException {
    private final String detail;

    JsonException(String source, String detail) {
        super(source + ": " + detail);
        this.detail = detail;
    }

    /** The message without the document's name, for callers that name the document in their own words. */
    public String detail() {
        return detail;
    }
}
