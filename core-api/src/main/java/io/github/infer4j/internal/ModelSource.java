package io.github.infer4j.internal;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.spi.Weights;
import java.nio.file.Path;

/**
 * A model as the loader sees it, whatever it is stored in: metadata in GGUF terms (so the architectures and the
 * tokenizers read every format alike) and the tensors under their GGUF names. Closing it releases the mapped files
 * and any copies made at load; tensors handed out before become unusable.
 */
public interface ModelSource extends AutoCloseable {
    /** The model file or folder. */
    Path path();

    /** How the model is stored: {@code gguf} or {@code safetensors}. */
    String format();

    /** Bytes of the model's files on disk. */
    long fileSize();

    GgufMetadata metadata();

    Weights weights();

    @Override
    void close();
}
