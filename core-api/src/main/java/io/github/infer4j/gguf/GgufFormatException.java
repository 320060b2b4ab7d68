package io.github.infer4j.gguf;

import io.github.infer4j.Infer4jException;
import java.nio.file.Path;

/**
 * A GGUF file is malformed, or holds something Infer4j cannot use. The message reads
 * {@code "<file>: <field> at byte <offset>: <problem>"} so that a user can find the culprit with a hex dump;
 * when the field has no place in the file (a metadata key that is missing) the {@code at byte} part is left out
 * and {@link #offset()} is -1.
 */
public final class GgufFormatException extends Infer4jException {
    private final Path file;
    private final String field;
    private final long offset;

    GgufFormatException(Path file, String field, long offset, String problem) {
        super(file + ": " + field + (offset >= 0 ? " at byte " + offset : "") + ": " + problem);
        this.file = file;
        this.field = field;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** The header field or metadata key at fault, e.g. {@code "tensor_count"} or {@code "llama.block_count"}. */
    public String field() {
        return field;
    }

    /** Byte offset of the field in the file, or -1 when it has none. */
    public long offset() {
        return offset;
    }
}
