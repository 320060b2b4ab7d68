package io.github.infer4j.examples.cli;

import io.github.infer4j.Infer4j;
import io.github.infer4j.Model;
import io.github.infer4j.ModelInfo;
import io.github.infer4j.synthetic.ModelShape;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code infer4j synth}: random-weight models of named shapes that Infer4j loads. */
class SynthCommandTest {
    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void writesAModelOfTheShapeAndTypeThatInfer4jLoads() throws IOException {
        Path file = home.resolve("tiny.gguf");

        CliRunner.Result result = cli().run("synth", "--shape", "tiny", "--type", "Q8_0", "-o", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("wrote " + file + ": tiny shape (llama), Q8_0, ");
        assertThat(Files.list(home)).containsExactly(file);
        ModelShape tiny = ModelShape.named("tiny");
        try (Model model = Infer4j.builder().backend("reference").load(file)) {
            ModelInfo info = model.info();
            assertThat(info.architecture()).isEqualTo("llama");
            assertThat(info.name()).isEqualTo("synthetic-tiny");
            assertThat(info.embeddingLength()).isEqualTo(tiny.dim());
            assertThat(info.layers()).isEqualTo(tiny.layers());
            assertThat(info.heads()).isEqualTo(tiny.heads());
            assertThat(info.kvHeads()).isEqualTo(tiny.kvHeads());
            assertThat(info.vocabSize()).isEqualTo(tiny.vocab());
            assertThat(info.trainedContextLength()).isEqualTo(tiny.context());
            assertThat(info.tokenizerModel()).isEqualTo("gpt2");
            // Tied: token embeddings plus 7 matrices per layer are Q8_0; 2 norms per layer and the final one F32.
            assertThat(info.tensorTypes()).isEqualTo(Map.of(DType.Q8_0, 1 + 7 * tiny.layers(),
                    DType.F32, 2 * tiny.layers() + 1));
        }
    }

    /**
     * Each family's tiny shape: its architecture and its own tensors per layer, e.g. Qwen2's three F32 biases,
     * Qwen3's and Gemma 3's query and key norms, the Gemmas' post-norms, Phi-3's fused QKV and gate-up matrices.
     */
    @ParameterizedTest
    @CsvSource({"tiny-qwen2, qwen2, 7, 5", "tiny-qwen3, qwen3, 7, 4", "tiny-gemma2, gemma2, 7, 4",
            "tiny-gemma3, gemma3, 7, 6", "tiny-phi3, phi3, 4, 2"})
    void writesEveryArchitecture(String shapeName, String architecture, int matricesPerLayer, int vectorsPerLayer) {
        Path file = home.resolve(shapeName + ".gguf");

        CliRunner.Result result = cli().run("synth", "--shape", shapeName, "--type", "Q8_0", "-o", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("wrote " + file + ": " + shapeName + " shape (" + architecture + "), Q8_0");
        ModelShape shape = ModelShape.named(shapeName);
        try (Model model = Infer4j.builder().backend("reference").load(file)) {
            ModelInfo info = model.info();
            assertThat(info.architecture()).isEqualTo(architecture);
            assertThat(info.layers()).isEqualTo(shape.layers());
            assertThat(info.vocabSize()).isEqualTo(shape.vocab());
            int embeddingAndOutput = shape.tiedOutput() ? 1 : 2;
            assertThat(info.tensorTypes()).isEqualTo(Map.of(
                    DType.Q8_0, embeddingAndOutput + matricesPerLayer * shape.layers(),
                    DType.F32, vectorsPerLayer * shape.layers() + 1));
        }
    }

    @Test
    void shapeAndTypeNamesIgnoreCase() {
        Path file = home.resolve("wide.gguf");

        CliRunner.Result result = cli().run("synth", "--shape", "TINY-256", "--type", "f16", "-o", file.toString(),
                "--seed", "7");

        assertThat(result.exitCode()).as(result.err()).isZero();
        try (Model model = Infer4j.builder().backend("reference").load(file)) {
            assertThat(model.info().embeddingLength()).isEqualTo(256);
            assertThat(model.info().tensorTypes()).containsKey(DType.F16);
        }
    }

    @Test
    void unknownShapeOrTypeIsAnInvalidInputThatListsTheChoices() {
        Path file = home.resolve("x.gguf");

        CliRunner.Result shape = cli().run("synth", "--shape", "llama9-1t", "-o", file.toString());
        CliRunner.Result type = cli().run("synth", "--shape", "tiny", "--type", "Q3_X", "-o", file.toString());

        assertThat(shape.exitCode()).isEqualTo(2);
        assertThat(shape.err()).startsWith("infer4j: unknown model shape 'llama9-1t'")
                .contains("llama3.2-1b", "llama2-7b", "smollm2-135m", "qwen2.5-0.5b", "qwen3-0.6b", "gemma2-2b",
                        "gemma3-1b", "phi3-mini", "mistral-7b", "tiny-gemma3").hasLineCount(1);
        assertThat(type.exitCode()).isEqualTo(2);
        assertThat(type.err()).startsWith("infer4j: unknown weight type 'Q3_X'").contains("Q4_0", "BF16")
                .hasLineCount(1);
        assertThat(file).doesNotExist();
    }

    @Test
    void aTypeTheShapeCannotHoldIsAClearError() {
        Path file = home.resolve("stories.gguf");

        CliRunner.Result result = cli().run("synth", "--shape", "stories260k", "--type", "Q4_0", "-o", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("multiple of 32").hasLineCount(1);
        assertThat(file).doesNotExist();
    }

    @Test
    void helpListsTheShapes() {
        CliRunner.Result result = cli().run("synth", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("--shape=NAME", "llama3.2-1b", "llama3.2-3b", "llama2-7b", "smollm2-135m",
                "tiny");
        for (ModelShape shape : ModelShape.known()) {
            assertThat(result.out()).contains(shape.name());
        }
    }
}
