package io.github.infer4j;

import io.github.infer4j.tensor.DType;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a model holds, as read from its metadata. {@code file} is the GGUF file or the Hugging Face folder and
 * {@code fileSize} the bytes of its files; {@code format} is {@code gguf} or {@code safetensors}. {@code tensorTypes}
 * counts the tensors by the type they are computed in, so after {@code infer4j.quantize} it shows the quantized
 * type. {@code chatTemplate} is null when the model has none.
 */
public record ModelInfo(Path file, long fileSize, String architecture, String name, long parameterCount,
                        Map<DType, Integer> tensorTypes, int trainedContextLength, int embeddingLength, int layers,
                        int heads, int kvHeads, int vocabSize, String tokenizerModel, String chatTemplate,
                        String format) {
    public ModelInfo {
        tensorTypes = Map.copyOf(tensorTypes);
    }
}
