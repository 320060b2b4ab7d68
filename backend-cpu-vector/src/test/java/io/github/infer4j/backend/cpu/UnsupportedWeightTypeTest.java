package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4j;
import io.github.infer4j.Infer4jException;
import io.github.infer4j.synthetic.SyntheticLlama;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A model whose weights cpu-vector has no kernels for is refused at load, naming the type and the backend. */
class UnsupportedWeightTypeTest {
    @TempDir
    Path dir;

    @Test
    void kQuantModelIsAClearError() {
        Path file = SyntheticLlama.builder().dim(256).ffn(256).heads(4).kvHeads(2).weightType(DType.Q4_K)
                .write(dir.resolve("q4k.gguf"));
        assertThatThrownBy(() -> Infer4j.builder().backend("cpu-vector").load(file))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("cpu-vector")
                .hasMessageContaining("Q4_K");
    }
}
