package io.github.infer4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infer4j.sampling.SamplerConfig;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.testkit.HfFolderWriter;
import io.github.infer4j.testkit.HfTokenizerFiles;
import io.github.infer4j.testkit.SharedModels;
import io.github.infer4j.synthetic.SyntheticLlama;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Hugging Face folder written from a GGUF model's weights loads through the public API and computes the same
 * logits as the GGUF file, on the reference backend. The folder holds the very values of the file (Q and K in
 * Hugging Face's layout), so the logits must be identical, not merely close.
 */
class HuggingFaceFolderTest {
    private static final String PROMPT = "Hello world, hello you";

    @TempDir
    Path dir;

    private static float[] logits(Path model, String quantize) {
        try (Model m = Infer4j.builder().backend("reference").kvCacheType("F32").option("quantize", quantize)
                .load(model);
             Session s = m.newSession()) {
            int[] ids = m.tokenizer().encode(PROMPT, true, true);
            s.process(ids, 0, ids.length);
            return s.logits().clone();
        }
    }

    private static float[] logits(Path model) {
        return logits(model, "none");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void aFolderComputesExactlyTheLogitsOfTheGgufFile(DType type) {
        Path gguf = SyntheticLlama.builder().weightType(type).tiedOutput(false).write(dir.resolve("m.gguf"));
        Path folder = HfFolderWriter.from(gguf).write(dir.resolve("hf"));
        assertThat(logits(folder)).containsExactly(logits(gguf));
    }

    /**
     * Each family as its Hugging Face class writes it (config keys, tensor names, Gemma's norms stored as
     * {@code w}, no Q/K permutation outside Llama) computes exactly the logits of the GGUF file. Qwen 3 and the
     * Gemmas get a head size of their own; Gemma 3 has six layers so that layer 5 is global and the others slide
     * over a window shorter than the prompt; every family but Gemma 2 (always tied) has its own lm_head.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"qwen2, F32", "qwen2, BF16", "qwen3, F32", "qwen3, F16", "gemma2, F32", "gemma2, BF16",
        "gemma3, F32", "gemma3, BF16", "phi3, F32", "phi3, F16"})
    void everyArchitectureComputesExactlyTheLogitsOfItsGgufFile(String architecture, DType type) {
        Path gguf = architectureModel(architecture).weightType(type).write(dir.resolve("m.gguf"));
        Path folder = HfFolderWriter.from(gguf).shards(2).write(dir.resolve("hf"));
        assertThat(logits(folder)).containsExactly(logits(gguf));
    }

    /** Gemma3ForConditionalGeneration: the language model in text_config and under language_model., a vision tensor. */
    @Test
    void aMultimodalGemma3FolderComputesTheLogitsOfItsLanguageModel() {
        Path gguf = architectureModel("gemma3").weightType(DType.BF16).write(dir.resolve("m.gguf"));
        Path folder = HfFolderWriter.from(gguf).multimodal(true).write(dir.resolve("hf"));
        assertThat(logits(folder)).containsExactly(logits(gguf));
    }

    private static SyntheticLlama.Builder architectureModel(String architecture) {
        SyntheticLlama.Builder model = SyntheticLlama.builder().architecture(architecture).weightScale(0.1f)
                .tiedOutput(architecture.equals("gemma2"));
        if (architecture.equals("qwen3") || architecture.startsWith("gemma")) {
            model.headDim(32);
        }
        if (architecture.equals("gemma3")) {
            model.layers(6).finalLogitSoftcap(0);
        }
        return model;
    }

    @Test
    void theModelInfoOfAFolderMatchesTheGgufFile() {
        Path gguf = SyntheticLlama.builder().weightType(DType.BF16).write(dir.resolve("m.gguf"));
        Path folder = HfFolderWriter.from(gguf).shards(2).write(dir.resolve("hf"));
        try (Model fromGguf = Infer4j.builder().backend("reference").load(gguf);
             Model fromFolder = Infer4j.builder().backend("reference").load(folder)) {
            ModelInfo g = fromGguf.info();
            ModelInfo h = fromFolder.info();
            assertThat(h.format()).isEqualTo("safetensors");
            assertThat(g.format()).isEqualTo("gguf");
            assertThat(h.file()).isEqualTo(folder);
            assertThat(h.fileSize()).isGreaterThan(g.parameterCount() * 2);
            assertThat(h).usingRecursiveComparison().ignoringFields("file", "fileSize", "name", "format").isEqualTo(g);
            assertThat(fromFolder.tokenizer().encode(PROMPT, true, true))
                    .containsExactly(fromGguf.tokenizer().encode(PROMPT, true, true));
        }
    }

    @Test
    void shardsWithAnIndexOrWithoutOneLoadTheSameModel() {
        Path gguf = SyntheticLlama.builder().layers(3).write(dir.resolve("m.gguf"));
        float[] expected = logits(gguf);
        assertThat(logits(HfFolderWriter.from(gguf).shards(3).write(dir.resolve("indexed")))).containsExactly(expected);
        assertThat(logits(HfFolderWriter.from(gguf).shards(2).index(false).write(dir.resolve("listed"))))
                .containsExactly(expected);
    }

    /**
     * Quantizing at load encodes the same floats with the same reference formats as the GGUF writer, so the folder
     * quantized at load equals the GGUF file quantized when written, and both track the F32 model: relative L2 error
     * of the logits 0.010 for Q8_0 and 0.15 for Q4_0 with these weights; a wrong block layout gives errors near 1.
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0"})
    void quantizingAtLoadMatchesAQuantizedGgufAndTracksF32(DType type) {
        Path f32 = SyntheticLlama.builder().tiedOutput(false).write(dir.resolve("f32.gguf"));
        Path quantizedGguf = SyntheticLlama.builder().tiedOutput(false).weightType(type)
                .write(dir.resolve("q.gguf"));
        Path folder = HfFolderWriter.from(f32).write(dir.resolve("hf"));
        float[] atLoad = logits(folder, type.name());
        assertThat(atLoad).containsExactly(logits(quantizedGguf));
        assertThat(logits(f32, type.name())).as("a GGUF file quantized at load").containsExactly(atLoad);
        double limit = type == DType.Q8_0 ? 0.02 : 0.25;
        assertThat(relativeError(logits(f32), atLoad)).isLessThan(limit);
        try (Model m = Infer4j.builder().backend("reference").option("quantize", type.name()).load(folder)) {
            assertThat(m.info().tensorTypes()).containsOnlyKeys(type, DType.F32);
            assertThat(m.info().tensorTypes().get(DType.F32)).as("norms").isEqualTo(2 * 2 + 1);
        }
    }

    /** The real stories260K model (SentencePiece vocabulary) as a Hugging Face folder, both export styles. */
    @ParameterizedTest
    @EnumSource(HfTokenizerFiles.Style.class)
    void stories260KFromAFolderMatchesItsGgufFile(HfTokenizerFiles.Style style) {
        Path gguf = SharedModels.file("stories260K.gguf");
        Path folder = HfFolderWriter.from(gguf).tokenizerStyle(style).write(dir.resolve("stories"));
        try (Model fromGguf = Infer4j.builder().backend("reference").kvCacheType("F32").load(gguf);
             Model fromFolder = Infer4j.builder().backend("reference").kvCacheType("F32").load(folder)) {
            String text = "Once upon a time, there was a little girl named Lily.";
            int[] ids = fromFolder.tokenizer().encode(text, true, true);
            assertThat(ids).containsExactly(fromGguf.tokenizer().encode(text, true, true))
                    .containsExactly(1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426);
            GenerationOptions greedy = GenerationOptions.defaults().sampler(SamplerConfig.greedy()).maxTokens(24);
            assertThat(fromFolder.generate("", greedy, t -> { }).text())
                    .isEqualTo(fromGguf.generate("", greedy, t -> { }).text())
                    .startsWith(" Once upon a time, there was a little girl named Lily.");
        }
        assertThat(logits(folder)).containsExactly(logits(gguf));
    }

    private static double relativeError(float[] exact, float[] approx) {
        double err = 0;
        double norm = 0;
        for (int i = 0; i < exact.length; i++) {
            err += (exact[i] - approx[i]) * (double) (exact[i] - approx[i]);
            norm += exact[i] * (double) exact[i];
        }
        return Math.sqrt(err / norm);
    }
}
