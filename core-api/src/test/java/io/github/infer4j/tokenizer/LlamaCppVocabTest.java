package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    /**
     * The inputs as test-tokenizer-0 cuts them: the raw file split at each "\n__ggml_vocab_test__\n", so a case
     * keeps all its other newlines, and the separator that ends the file opens no further (empty) case.
     */
    static List<String> inputs(Path inp) throws IOException {
        String raw = Files.readString(inp, StandardCharsets.UTF_8);
        List<String> inputs = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(SEPARATOR, pos);
            if (next < 0) {
                inputs.add(raw.substring(pos));
                break;
            }
            inputs.add(raw.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        return inputs;
    }

    static List<int[]> expected(Path out) throws IOException {
        List<int[]> expected = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            String stripped = line.strip();
            expected.add(stripped.isEmpty() ? new int[0]
                    : Arrays.stream(stripped.split(" ")).mapToInt(Integer::parseInt).toArray());
        }
        return expected;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2"})
    void everyTestVectorMatchesLlamaCpp(String vocabName) throws IOException {
        Path gguf = RealVocabs.vocabFile(vocabName);
        List<String> inputs = inputs(Path.of(gguf + ".inp"));
        List<int[]> expected = expected(Path.of(gguf + ".out"));
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
