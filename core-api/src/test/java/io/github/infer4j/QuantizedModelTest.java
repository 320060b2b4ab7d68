package io.github.infer4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infer4j.sampling.SamplerConfig;
import io.github.infer4j.synthetic.SyntheticLlama;
import io.github.infer4j.tensor.DType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Synthetic Llamas wide enough for K-quants (rows of 256) in the newer quant types and in the per-tensor mixes
 * that llama.cpp's Q4_K_M and Q5_K_M files contain, on the reference backend, against the same weights in F32.
 */
class QuantizedModelTest {
    private static final String PROMPT = "Hello world, hello you";

    @TempDir
    static Path dir;

    /** F32 logits by file name: each reference model is built and run once for the whole class. */
    private static final Map<String, float[]> F32_LOGITS = new HashMap<>();

    private static float[] f32Logits(String name, SyntheticLlama.Builder model) {
        return F32_LOGITS.computeIfAbsent(name, n -> logitsAfter(model.write(dir.resolve(n))));
    }

    private static SyntheticLlama.Builder wide() {
        return SyntheticLlama.builder().dim(256).ffn(512).heads(4).kvHeads(2).bpeTokenizer();
    }

    private static float[] logitsAfter(Path file) {
        try (Model model = Infer4j.builder().backend("reference").kvCacheType("F32").load(file);
             Session s = model.newSession()) {
            int[] ids = model.tokenizer().encode(PROMPT, true, true);
            s.process(ids, 0, ids.length);
            return s.logits().clone();
        }
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

    /**
     * Relative L2 error of the logits against the F32 model. The weights are fixed by the seed, so the error is
     * too: 0.20 for Q4_1, 0.17 Q4_K, 0.10 Q5_0 and Q5_1, 0.09 Q5_K, 0.05 Q6_K. The limits leave room above that
     * and fall with the bits per weight; a wrong block layout gives errors above 1.
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void quantizedModelsTrackTheF32Model(DType type) {
        float[] exact = f32Logits("f32.gguf", wide());
        float[] quantized = logitsAfter(wide().weightType(type).write(dir.resolve(type + ".gguf")));
        double limit = switch (type) {
            case Q4_1, Q4_K -> 0.25;
            case Q5_0, Q5_1, Q5_K -> 0.12;
            default -> 0.06;
        };
        assertThat(relativeError(exact, quantized)).as("relative L2 error of %s logits", type).isLessThan(limit);
    }

    /**
     * llama.cpp's Q4_K_M keeps most matrices in Q4_K but gives attn_v and ffn_down of some layers (here the last),
     * and the output, Q6_K; a matrix whose rows are not a multiple of 256 falls back to Q5_0 (Q6_K's fallback is
     * Q8_0). Q5_K_M is the same around Q5_K, falling back to Q5_1. With ffn = 288 every ffn_down needs the
     * fallback. These are the types llama.cpp's llama_model_quantize chose for this very model, and the bytes it
     * wrote equal the ones the formats write here.
     */
    private static UnaryOperator<SyntheticLlama.Builder> mix(DType base, DType fallback) {
        return b -> b.weightType(base).ffn(288).tiedOutput(false)
                .tensorType("blk.0.ffn_down.weight", fallback)
                .tensorType("blk.1.ffn_down.weight", DType.Q8_0)
                .tensorType("blk.1.attn_v.weight", DType.Q6_K)
                .tensorType("output.weight", DType.Q6_K);
    }

    @Test
    void q4_KMMixLoadsAndTracksTheF32Model() {
        checkMix(mix(DType.Q4_K, DType.Q5_0), DType.Q4_K, DType.Q5_0, 0.25);
    }

    @Test
    void q5_KMMixLoadsAndTracksTheF32Model() {
        checkMix(mix(DType.Q5_K, DType.Q5_1), DType.Q5_K, DType.Q5_1, 0.12);
    }

    private void checkMix(UnaryOperator<SyntheticLlama.Builder> mix, DType base, DType fallback, double limit) {
        float[] exact = f32Logits("f32-untied-288.gguf", wide().ffn(288).tiedOutput(false));
        Path file = mix.apply(wide()).write(dir.resolve(base + "_M.gguf"));
        try (Model model = Infer4j.builder().backend("reference").load(file)) {
            // 2 layers x 7 matrices + token_embd + output: 9 in the base type, 2 Q6_K, 1 each fallback, 5 norms.
            assertThat(model.info().tensorTypes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    base, 12, DType.Q6_K, 2, fallback, 1, DType.Q8_0, 1, DType.F32, 5));
            GenerationResult r = model.generate("Hello", GenerationOptions.defaults()
                    .sampler(SamplerConfig.greedy()).maxTokens(4), TokenListener.NONE);
            assertThat(r.tokens().length).isBetween(1, 4);
        }
        // Observed: 0.14 for the Q4_K_M mix, 0.07 for Q5_K_M.
        assertThat(relativeError(exact, logitsAfter(file))).as("relative L2 error of the %s_M mix's logits", base)
                .isLessThan(limit);
    }
}
