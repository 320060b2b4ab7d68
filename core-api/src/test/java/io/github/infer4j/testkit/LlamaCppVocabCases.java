package io.github.infer4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * llama.cpp's tokenizer test vectors (models/ggml-vocab-*.gguf.inp and .out, see the shared models README): the
 * test strings and, per string, the ids llama.cpp's test-tokenizer-0 expects (no BOS, no special parsing).
 */
public final class LlamaCppVocabCases {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    private LlamaCppVocabCases() {
    }

    /**
     * The inputs as test-tokenizer-0 cuts them: the raw file split at each "\n__ggml_vocab_test__\n", so a case
     * keeps all its other newlines, and the separator that ends the file opens no further (empty) case.
     */
    public static List<String> inputs(Path inp) throws IOException {
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

    /** The expected ids, one array per line of the .out file. */
    public static List<int[]> expected(Path out) throws IOException {
        List<int[]> expected = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            String stripped = line.strip();
            expected.add(stripped.isEmpty() ? new int[0]
                    : Arrays.stream(stripped.split(" ")).mapToInt(Integer::parseInt).toArray());
        }
        return expected;
    }
}
