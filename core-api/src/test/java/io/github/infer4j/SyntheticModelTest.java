package io.github.infer4j;

import io.github.infer4j.sampling.SamplerConfig;
import io.github.infer4j.synthetic.SyntheticLlama;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Synthetic Llama-3-style models (byte-level BPE, tied embeddings, GQA) written by the test, on the default backend. */
class SyntheticModelTest {
    @TempDir
    Path dir;

    private static final GenerationOptions GREEDY = GenerationOptions.defaults().sampler(SamplerConfig.greedy());

    private Path model(DType type, boolean tied) {
        return SyntheticLlama.builder().weightType(type).tiedOutput(tied).heads(4).kvHeads(2).bpeTokenizer()
                .write(dir.resolve(type + "-" + tied + ".gguf"));
    }

    private static float[] logitsAfter(Path file, String prompt) {
        try (Model model = Infer4j.builder().kvCacheType("F32").load(file); Session s = model.newSession()) {
            int[] ids = model.tokenizer().encode(prompt, true, true);
            s.process(ids, 0, ids.length);
            return s.logits().clone();
        }
    }

    /**
     * The same seeded weights quantized must give nearly the logits of the F32 model: the quantization error bound
     * of each format, carried through two layers, stays well under the spread of the logits.
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F16", "BF16", "Q8_0", "Q4_0"})
    void quantizedModelsTrackTheF32Model(DType type) {
        float[] exact = logitsAfter(model(DType.F32, true), "Hello world, hello you");
        float[] quantized = logitsAfter(model(type, true), "Hello world, hello you");
        double err = 0;
        double norm = 0;
        for (int i = 0; i < exact.length; i++) {
            err += (exact[i] - quantized[i]) * (double) (exact[i] - quantized[i]);
            norm += exact[i] * (double) exact[i];
        }
        double maxRelative = switch (type) {
            case Q4_0 -> 0.25;
            case Q8_0, BF16 -> 0.03;
            default -> 0.005;
        };
        assertThat(Math.sqrt(err / norm)).as("relative L2 error of %s logits", type).isLessThan(maxRelative);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0"})
    void quantizedModelsWithSeparateOutputLoadAndGenerate(DType type) {
        try (Model model = Infer4j.load(model(type, false))) {
            assertThat(model.info().tensorTypes()).containsKey(type);
            GenerationResult r = model.generate("Hello", GREEDY.maxTokens(6), TokenListener.NONE);
            assertThat(r.tokens().length).isBetween(1, 6);
            assertThat(r.promptTokens()).isEqualTo(model.tokenizer().encode("Hello", true, true).length);
        }
    }

    @Test
    void greedyGenerationIsRepeatableAndSeededSamplingToo() {
        Path file = model(DType.Q8_0, true);
        try (Model model = Infer4j.load(file)) {
            GenerationOptions sampled = GenerationOptions.defaults().maxTokens(10)
                    .sampler(SamplerConfig.defaults().withTemperature(1.5f).withTopK(0).withTopP(1f).withMinP(0f).withSeed(3));
            assertThat(model.generate("the", GREEDY.maxTokens(10), TokenListener.NONE).tokens())
                    .containsExactly(model.generate("the", GREEDY.maxTokens(10), TokenListener.NONE).tokens());
            assertThat(model.generate("the", sampled, TokenListener.NONE).tokens())
                    .containsExactly(model.generate("the", sampled, TokenListener.NONE).tokens());
        }
    }

    @Test
    void promptLongerThanTheContextFailsBeforeAnyWork() {
        try (Model model = Infer4j.builder().contextLength(16).load(model(DType.F32, true));
             Session session = model.newSession()) {
            int[] prompt = new int[17];
            assertThatThrownBy(() -> session.generate(prompt, GREEDY, TokenListener.NONE))
                    .isInstanceOf(Infer4jException.class)
                    .hasMessageContaining("17 tokens")
                    .hasMessageContaining("context length 16");
            assertThat(session.position()).isZero();
        }
    }

    @Test
    void generationThatFillsTheContextStopsWithThatReason() {
        try (Model model = Infer4j.builder().contextLength(12).load(model(DType.F32, true));
             Session session = model.newSession()) {
            GenerationResult r = session.generate(new int[] {1, 2, 3}, GREEDY, TokenListener.NONE);
            assertThat(r.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
            assertThat(session.position()).isEqualTo(12);
            assertThatThrownBy(() -> session.generate(new int[] {1}, GREEDY, TokenListener.NONE))
                    .isInstanceOf(Infer4jException.class).hasMessageContaining("room for 0");
        }
    }

    @Test
    void cancellationFromAnotherThreadStopsGeneration() throws Exception {
        try (Model model = Infer4j.load(model(DType.F32, true))) {
            CancellationToken cancel = new CancellationToken();
            GenerationOptions options = GenerationOptions.defaults().maxTokens(200).cancellation(cancel)
                    .sampler(SamplerConfig.defaults().withSeed(5).withTopK(0).withMinP(0f).withTopP(1f));
            Thread canceller = Thread.ofPlatform().start(cancel::cancel);
            canceller.join();
            GenerationResult r = model.generate("Hello", options, TokenListener.NONE);
            assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED);
            assertThat(r.tokens()).isEmpty();
        }
    }

    @Test
    void stopStringEndsGenerationAndIsNotPartOfTheText() {
        try (Model model = Infer4j.load(model(DType.F32, true))) {
            GenerationResult free = model.generate("Hello", GREEDY.maxTokens(12), TokenListener.NONE);
            String text = free.text();
            org.junit.jupiter.api.Assumptions.assumeTrue(text.length() >= 4, "model produced too little text");
            String stop = text.substring(2, 4);
            StringBuilder streamed = new StringBuilder();
            GenerationResult stopped = model.generate("Hello", GREEDY.maxTokens(12).stopStrings(List.of(stop)),
                    streamed::append);
            assertThat(stopped.stopReason()).isEqualTo(StopReason.STOP_STRING);
            assertThat(stopped.text()).isEqualTo(text.substring(0, text.indexOf(stop)));
            assertThat(streamed.toString()).isEqualTo(stopped.text());
        }
    }

    @Test
    void unknownArchitectureIsAClearError() {
        Path file = dir.resolve("mamba.gguf");
        SyntheticLlama.builder().bpeTokenizer().toWriter().putString("general.architecture", "mamba").write(file);
        assertThatThrownBy(() -> Infer4j.load(file))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("mamba")
                .hasMessageContaining("supported: [llama, qwen2, qwen3, gemma2, gemma3, phi3]");
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> Infer4j.load(dir.resolve("nope.gguf")))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("nope.gguf");
    }
}
