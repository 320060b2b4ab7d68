package io.github.infer4j;

import io.github.infer4j.tensor.DType;

import java.nio.file.Path;
import java.util.Map;

/** What a model file holds, as read from its metadata. {@code chatTemplate} is null when the file has none. */
public record ModelInfo(Path file, long fileSize, String architecture, String name, long parameterCount,
                        Map<DType, Integer> tensorTypes, int trainedContextLength, int embeddingLength, int layers,
                        int heads, int kvHeads, int vocabSize, String tokenizerModel, String chatTemplate) {
    public ModelInfo {
        tensorTypes = Map.copyOf(tensorTypes);
    }
}
