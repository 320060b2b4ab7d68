package io.github.infer4j;

import io.github.infer4j.conformance.FloatComparison;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.synthetic.SyntheticLlama;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every architecture through the public API on the reference backend: the file loads with its family's name, a
 * prompt run as one batch gives the logits of the same prompt run token by token (sliding windows, caches and
 * per-layer RoPE agree between the two paths), and Q4_K weights track the F32 ones.
 */
class ArchitectureModelTest {
    static final List<String> ARCHITECTURES = SyntheticLlama.ARCHITECTURES;
    /** Longer than the sliding window, so later rows stop seeing the first positions. */
    private static final int[] PROMPT = {1, 17, 250, 3, 99, 42, 7, 7, 120, 33, 280};

    @TempDir
    Path dir;

    /** Heads of half the embedding width (twice the usual size) where the family allows another head size. */
    private static SyntheticLlama.Builder model(String architecture, int dim, float scale) {
        SyntheticLlama.Builder b = SyntheticLlama.builder().architecture(architecture).dim(dim).ffn(2 * dim)
                .weightScale(scale).seed(3).layers(architecture.equals("gemma3") ? 6 : 2).slidingWindow(4);
        return architecture.equals("llama") ? b : b.headDim(dim / 2);
    }

    @ParameterizedTest
    @FieldSource("ARCHITECTURES")
    void promptInOneBatchGivesTheLogitsOfTokenByToken(String architecture) {
        Path file = model(architecture, 64, 0.1f).write(dir.resolve(architecture + ".gguf"));
        try (Model model = Infer4j.builder().backend("reference").kvCacheType("F32").load(file);
             Session batched = model.newSession(); Session single = model.newSession()) {
            assertThat(model.info().architecture()).isEqualTo(architecture);
            batched.process(PROMPT, 0, PROMPT.length);
            for (int i = 0; i < PROMPT.length; i++) {
                single.process(PROMPT, i, 1);
            }
            FloatComparison.assertClose(architecture + " logits", single.logits(), batched.logits(),
                    batched.logits().length, 1e-5);
        }
    }

    /**
     * Relative L2 error of Q4_K logits against F32 after the prompt, with the kit's small default weights (larger
     * ones amplify rounding through the layers). Measured: 0.17 to 0.20, 0.31 for Gemma 3 with its six layers; a
     * wrong block layout or a misplaced view gives errors near or above 1.
     */
    @ParameterizedTest
    @FieldSource("ARCHITECTURES")
    void q4KWeightsTrackTheF32Model(String architecture) {
        SyntheticLlama.Builder wide = model(architecture, 256, 0.02f);
        float[] exact = logitsAfterPrompt(wide.write(dir.resolve("f32.gguf")));
        float[] quantized = logitsAfterPrompt(wide.weightType(DType.Q4_K).write(dir.resolve("q4_k.gguf")));
        double err = 0;
        double norm = 0;
        for (int i = 0; i < exact.length; i++) {
            err += (exact[i] - quantized[i]) * (double) (exact[i] - quantized[i]);
            norm += exact[i] * (double) exact[i];
        }
        assertThat(Math.sqrt(err / norm)).as("relative L2 error of %s Q4_K logits", architecture).isLessThan(0.4);
    }

    private static float[] logitsAfterPrompt(Path file) {
        try (Model model = Infer4j.builder().backend("reference").kvCacheType("F32").load(file);
             Session s = model.newSession()) {
            s.process(PROMPT, 0, PROMPT.length);
            return s.logits().clone();
        }
    }
}
