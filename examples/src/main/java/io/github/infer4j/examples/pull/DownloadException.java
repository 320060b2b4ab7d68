package io.github.infer4j.examples.pull;

import io.github.infer4j.Infer4jException;

/** A download that failed; any partial file stays next to the target for the next attempt to resume. */
public class DownloadException extends Infer4jException {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
