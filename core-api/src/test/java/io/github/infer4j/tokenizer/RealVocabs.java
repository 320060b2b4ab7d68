package io.github.infer4j.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.infer4j.gguf.GgufFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokenizers of the shared model files (see the models README), each loaded once per test run. Tests that use
 * them are skipped when the shared folder is absent.
 */
final class RealVocabs {
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private RealVocabs() {
    }

    /** {@code name} relative to the models folder, e.g. {@code vocab/ggml-vocab-qwen2.gguf}. */
    static Path file(String name) {
        String shared = System.getProperty("infer4j.shared.dir");
        assumeTrue(shared != null, "infer4j.shared.dir is not set");
        Path file = Path.of(shared, "models", name);
        assumeTrue(Files.isRegularFile(file), file + " is not available");
        return file;
    }

    static Path vocabFile(String vocabName) {
        return file("vocab/ggml-vocab-" + vocabName + ".gguf");
    }

    /** One of llama.cpp's test vocabularies: llama-spm, llama-bpe, qwen2, gpt-2. */
    static Tokenizer vocab(String vocabName) {
        return load(vocabFile(vocabName));
    }

    static Tokenizer stories260K() {
        return load(file("stories260K.gguf"));
    }

    private static Tokenizer load(Path path) {
        return LOADED.computeIfAbsent(path.toString(), p -> {
            try (GgufFile file = GgufFile.open(path)) {
                return Tokenizer.fromGguf(file.metadata());
            }
        });
    }
}
