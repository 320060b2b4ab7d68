package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infer4j.testkit.LlamaCppVocabCases;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama.cpp's own tokenizer test vectors (models/ggml-vocab-*.gguf.inp/.out, see the shared models README): every
 * test string must encode to exactly the ids llama.cpp's test-tokenizer-0 expects (no BOS, no special parsing).
 */
class LlamaCppVocabTest {
    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2"})
    void everyTestVectorMatchesLlamaCpp(String vocabName) throws IOException {
        Path gguf = RealVocabs.vocabFile(vocabName);
        List<String> inputs = LlamaCppVocabCases.inputs(Path.of(gguf + ".inp"));
        List<int[]> expected = LlamaCppVocabCases.expected(Path.of(gguf + ".out"));
        assertThat(inputs).hasSize(expected.size()).hasSize(46);

        Tokenizer tokenizer = RealVocabs.vocab(vocabName);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int[] actual = tokenizer.encode(inputs.get(i), false, false);
            if (!Arrays.equals(actual, expected.get(i))) {
                failures.add("case " + i + " '" + inputs.get(i) + "': expected " + Arrays.toString(expected.get(i))
                        + " got " + Arrays.toString(actual));
            }
        }
        assertThat(failures).as(vocabName).isEmpty();
    }
}
