package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4j;
import io.github.infer4j.Infer4jException;
import io.github.infer4j.synthetic.SyntheticLlama;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Families whose graphs use ops the chip model cannot lower yet are refused at load, naming the missing kernel. */
class UnsupportedArchitectureTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "qwen3", "gemma2", "gemma3"})
    void graphsWithOpsBeyondLlamaAreRefusedClearly(String architecture) {
        Path file = SyntheticLlama.builder().architecture(architecture).write(dir.resolve(architecture + ".gguf"));
        assertThatThrownBy(() -> Infer4j.builder().backend("lpu-sim").load(file))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("lpu-sim cannot compile")
                .hasMessageContaining("no chip kernel for");
    }
}
