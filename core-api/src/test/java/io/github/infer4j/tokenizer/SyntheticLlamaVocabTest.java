package io.github.infer4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.synthetic.SyntheticLlama;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte-level vocabulary of the test kit's synthetic Llama files tokenizes the way the kit documents it. */
class SyntheticLlamaVocabTest {

    @Test
    void mergedWordsSpecialTokensAndEndOfGeneration(@TempDir Path dir) {
        Path file = SyntheticLlama.builder().dim(16).layers(1).heads(2).kvHeads(1).ffn(32)
                .write(dir.resolve("synthetic.gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf.metadata());
            int merged = 256; // token of merge i is 256 + i
            int bos = merged + SyntheticLlama.MERGES.size();
            int eot = bos + SyntheticLlama.SPECIAL_TOKENS.indexOf("<|eot_id|>");

            assertThat(tokenizer.encode("Hello world", true, false))
                    .containsExactly(bos, merged + SyntheticLlama.MERGES.indexOf("Hell o"),
                            merged + SyntheticLlama.MERGES.indexOf("Ġworl d"));
            assertThat(tokenizer.encode("<|eot_id|>", false, true)).containsExactly(eot);
            assertThat(tokenizer.isEndOfGeneration(eot)).isTrue();
            assertThat(tokenizer.decode(tokenizer.encode("Hello, you there\n\n", false, false)))
                    .isEqualTo("Hello, you there\n\n");
        }
    }
}
