package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4j;
import io.github.infer4j.Model;
import io.github.infer4j.Session;
import io.github.infer4j.conformance.FloatComparison;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.testkit.HfFolderWriter;
import io.github.infer4j.synthetic.SyntheticLlama;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * cpu-vector runs a Hugging Face folder (mapped safetensors views, off-heap Q/K re-layouts, load-time quantized
 * copies) as it runs the GGUF file holding the same weights: same bytes, same kernels. The logits agree to float
 * rounding only, not bit for bit: the Vector API leaves the order of a lane reduction open, and it differs between
 * a kernel still interpreted and the same kernel compiled by C2, which two loads in one JVM can each meet.
 */
class HuggingFaceFolderTest {
    private static final int[] PROMPT = {1, 17, 250, 3, 99, 42, 7};
    /** Fraction of the logits' scale: reordered float sums stay near 1e-7; a wrong row or layout costs far more. */
    private static final double SAME_WEIGHTS = 1e-5;

    @TempDir
    Path dir;

    private static float[] logits(Path model, String quantize) {
        try (Model m = Infer4j.builder().backend("cpu-vector").threads(2).option("quantize", quantize).load(model);
             Session s = m.newSession()) {
            s.process(PROMPT, 0, PROMPT.length);
            return s.logits().clone();
        }
    }

    @ParameterizedTest(name = "{0} folder, quantized at load to {1}, against {2} GGUF")
    @CsvSource({"BF16, none, BF16", "F16, none, F16", "F32, Q8_0, Q8_0", "F32, Q4_0, Q4_0"})
    void aFolderGivesTheLogitsOfTheGgufFile(DType stored, String quantize, DType gguf) {
        SyntheticLlama.Builder model = SyntheticLlama.builder().weightScale(0.1f).seed(7).tiedOutput(false);
        Path source = model.weightType(stored).write(dir.resolve("source.gguf"));
        Path folder = HfFolderWriter.from(source).shards(2).write(dir.resolve("hf"));
        Path expected = model.weightType(gguf).write(dir.resolve("expected.gguf"));
        float[] want = logits(expected, "none");
        FloatComparison.assertClose("logits of the folder", want, logits(folder, quantize), want.length, SAME_WEIGHTS);
    }

    /**
     * Every other family from its Hugging Face folder (BF16, two shards; Gemma's norms shifted at load, Phi-3's
     * fused projections kept fused) against its GGUF file, with the same tolerance.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen2", "qwen3", "gemma2", "gemma3", "phi3"})
    void everyArchitectureFromAFolderGivesTheLogitsOfItsGgufFile(String architecture) {
        SyntheticLlama.Builder model = SyntheticLlama.builder().architecture(architecture).weightScale(0.1f).seed(7)
                .weightType(DType.BF16).tiedOutput(architecture.equals("gemma2"));
        if (architecture.equals("qwen3") || architecture.startsWith("gemma")) {
            model.headDim(32);
        }
        if (architecture.equals("gemma3")) {
            model.layers(6);
        }
        Path gguf = model.write(dir.resolve("m.gguf"));
        Path folder = HfFolderWriter.from(gguf).shards(2).write(dir.resolve("hf"));
        float[] want = logits(gguf, "none");
        FloatComparison.assertClose("logits of the folder", want, logits(folder, "none"), want.length, SAME_WEIGHTS);
    }
}
