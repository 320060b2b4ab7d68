package io.github.infer4j.safetensors;

import io.github.infer4j.Infer4jException;
import java.nio.file.Path;

/**
 * A safetensors file or its shard index is malformed, or holds something Infer4j cannot use. The message reads
 * {@code "<file>: <what>: <problem>"}, where {@code what} names the header field or tensor at fault.
 */
public final class SafetensorsFormatException extends Infer4jException {
    private final Path file;

    SafetensorsFormatException(Path file, String what, String problem) {
        super(file + ": " + what + ": " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
