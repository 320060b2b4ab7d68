package io.github.infer4j.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.GenerationOptions;
import io.github.infer4j.GenerationResult;
import io.github.infer4j.Infer4j;
import io.github.infer4j.Model;
import io.github.infer4j.TokenListener;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.gguf.GgufTensorInfo;
import io.github.infer4j.gguf.GgufWriter;
import io.github.infer4j.sampling.SamplerConfig;
import io.github.infer4j.tensor.DType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The named shapes: published hyper-parameters, each family's keys and tensors, tiny models that run. */
class ModelShapeTest {
    @TempDir
    Path dir;

    @Test
    void publishedShapesHaveTheirModelsHyperParameters() {
        ModelShape llama = ModelShape.named("Llama3.2-1B");
        assertThat(llama).isEqualTo(new ModelShape("llama3.2-1b", "llama", 2048, 16, 32, 8, 64, 8192, 128256, 131072,
                500000f, 1e-5f, true, 0, 0f, 0f));
        assertThat(ModelShape.named("llama2-7b").tiedOutput()).isFalse();
        assertThat(ModelShape.named("llama2-7b").kvHeads()).isEqualTo(32);

        ModelShape qwen3 = ModelShape.named("qwen3-0.6b");
        assertThat(qwen3.architecture()).isEqualTo("qwen3");
        assertThat(qwen3.headDim()).as("Qwen3's head_dim, not 1024 / 16").isEqualTo(128);
        assertThat(qwen3.vocab()).isEqualTo(151936);

        ModelShape gemma3 = ModelShape.named("gemma3-1b");
        assertThat(List.of(gemma3.dim(), gemma3.layers(), gemma3.heads(), gemma3.kvHeads(), gemma3.headDim(),
                gemma3.ffn(), gemma3.vocab(), gemma3.slidingWindow())).containsExactly(1152, 26, 4, 1, 256, 6912,
                262144, 512);
        assertThat(gemma3.finalLogitSoftcap()).as("Gemma 3 has no soft-caps").isZero();

        ModelShape gemma2 = ModelShape.named("gemma2-2b");
        assertThat(List.of(gemma2.slidingWindow(), gemma2.vocab(), gemma2.headDim())).containsExactly(4096, 256000,
                256);
        assertThat(List.of(gemma2.attnLogitSoftcap(), gemma2.finalLogitSoftcap())).containsExactly(50f, 30f);

        ModelShape mistral = ModelShape.named("mistral-7b");
        assertThat(mistral.architecture()).isEqualTo("llama");
        assertThat(List.of(mistral.vocab(), mistral.kvHeads(), mistral.ffn())).containsExactly(32768, 8, 14336);
        assertThat(mistral.ropeFreqBase()).isEqualTo(1e6f);

        ModelShape phi3 = ModelShape.named("phi3-mini");
        assertThat(List.of(phi3.vocab(), phi3.context(), phi3.headDim())).containsExactly(32064, 4096, 96);
        assertThat(phi3.tiedOutput()).isFalse();
    }

    @Test
    void everyArchitectureHasATinyShapeAndAPublishedOne() {
        Map<String, Integer> tiny = new HashMap<>();
        Map<String, Integer> published = new HashMap<>();
        for (ModelShape shape : ModelShape.known()) {
            (shape.vocab() <= SyntheticLlama.minimalBpeVocabSize() ? tiny : published)
                    .merge(shape.architecture(), 1, Integer::sum);
        }
        assertThat(tiny.keySet()).containsExactlyInAnyOrderElementsOf(SyntheticLlama.ARCHITECTURES);
        assertThat(published.keySet()).containsExactlyInAnyOrderElementsOf(SyntheticLlama.ARCHITECTURES);
        assertThat(ModelShape.known()).extracting(ModelShape::name).doesNotHaveDuplicates()
                .contains("qwen2.5-0.5b", "qwen2.5-1.5b", "qwen3-0.6b", "qwen3-1.7b", "gemma2-2b", "gemma3-1b",
                        "phi3-mini", "mistral-7b", "llama3.1-8b", "smollm2-135m", "stories260k");
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertThatThrownBy(() -> ModelShape.named("llama9-1t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llama9-1t").hasMessageContaining("llama3.2-1b")
                .hasMessageContaining("gemma3-1b");
        assertThatThrownBy(() -> new ModelShape("x", "mamba", 64, 2, 4, 2, 16, 128, 301, 256, 1e4f, 1e-5f, true, 0,
                0f, 0f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mamba");
    }

    /** Every shape, big ones included, through the writer's metadata and tensor list: nothing is written. */
    @Test
    void everyShapeGivesItsFamilysKeysAndTensorShapes() {
        for (ModelShape shape : ModelShape.known()) {
            GgufWriter w = SyntheticLlama.builder().shape(shape).toWriter();
            GgufMetadata m = w.metadata();
            String a = shape.architecture() + ".";
            String name = shape.name();
            assertThat(m.getString("general.architecture")).as(name).isEqualTo(shape.architecture());
            assertThat(m.getString("general.name")).as(name).startsWith("synthetic-")
                    .doesNotContainIgnoringCase("phi3");
            assertThat(m.getInt(a + "embedding_length")).as(name).isEqualTo(shape.dim());
            assertThat(m.getInt(a + "block_count")).as(name).isEqualTo(shape.layers());
            assertThat(m.getInt(a + "attention.head_count")).as(name).isEqualTo(shape.heads());
            assertThat(m.getInt(a + "attention.head_count_kv")).as(name).isEqualTo(shape.kvHeads());
            assertThat(m.getInt(a + "feed_forward_length")).as(name).isEqualTo(shape.ffn());
            assertThat(m.getInt(a + "context_length")).as(name).isEqualTo(shape.context());
            assertThat(m.getInt(a + "vocab_size")).as(name).isEqualTo(shape.vocab());
            assertThat(m.getInt(a + "rope.dimension_count")).as(name).isEqualTo(shape.headDim());
            assertThat(m.getInt(a + "attention.key_length", shape.dim() / shape.heads())).as(name)
                    .isEqualTo(shape.headDim());
            assertThat(m.getFloat(a + "rope.freq_base")).as(name).isEqualTo(shape.ropeFreqBase());
            assertThat(m.getFloat(a + "attention.layer_norm_rms_epsilon")).as(name).isEqualTo(shape.rmsEps());
            assertThat(m.getInt(a + "attention.sliding_window", 0)).as(name).isEqualTo(shape.slidingWindow());
            assertThat(m.getFloat(a + "attn_logit_softcapping", 0f)).as(name).isEqualTo(shape.attnLogitSoftcap());
            assertThat(m.getFloat(a + "final_logit_softcapping", 0f)).as(name).isEqualTo(shape.finalLogitSoftcap());

            List<String> tokens = m.getStringList("tokenizer.ggml.tokens");
            assertThat(tokens).as(name).hasSize(shape.vocab());
            assertThat(m.getIntArray("tokenizer.ggml.token_type")).as(name).hasSize(shape.vocab());
            assertThat(tokens.get(m.getInt("tokenizer.ggml.eos_token_id"))).as(name).isEqualTo("<|eot_id|>");
            assertThat(tokens.getLast()).as(name).isIn("<|eot_id|>",
                    "<|reserved_special_token_" + (shape.vocab() - SyntheticLlama.minimalBpeVocabSize() - 1) + "|>");

            Map<String, long[]> dims = new HashMap<>();
            for (GgufTensorInfo t : w.tensorInfos()) {
                dims.put(t.name(), t.dims());
            }
            int q = shape.heads() * shape.headDim();
            int kv = shape.kvHeads() * shape.headDim();
            assertThat(dims.get("token_embd.weight")).as(name).containsExactly(shape.dim(), shape.vocab());
            assertThat(dims.containsKey("output.weight")).as(name).isEqualTo(!shape.tiedOutput());
            String last = "blk." + (shape.layers() - 1) + ".";
            if (shape.architecture().equals("phi3")) {
                assertThat(dims.get(last + "attn_qkv.weight")).as(name).containsExactly(shape.dim(), q + 2L * kv);
                assertThat(dims.get(last + "ffn_up.weight")).as(name).containsExactly(shape.dim(), 2L * shape.ffn());
            } else {
                assertThat(dims.get(last + "attn_q.weight")).as(name).containsExactly(shape.dim(), q);
                assertThat(dims.get(last + "attn_k.weight")).as(name).containsExactly(shape.dim(), kv);
                assertThat(dims.get(last + "ffn_gate.weight")).as(name).containsExactly(shape.dim(), shape.ffn());
            }
            assertThat(dims.get(last + "attn_output.weight")).as(name).containsExactly(q, shape.dim());
            assertThat(dims.get(last + "ffn_down.weight")).as(name).containsExactly(shape.ffn(), shape.dim());
            assertThat(dims.containsKey(last + "attn_q.bias")).as(name).isEqualTo(shape.architecture().equals("qwen2"));
            assertThat(dims.get(last + "attn_q_norm.weight")).as(name).isEqualTo(
                    List.of("qwen3", "gemma3").contains(shape.architecture()) ? new long[] {shape.headDim()} : null);
            assertThat(dims.containsKey(last + "post_ffw_norm.weight")).as(name)
                    .isEqualTo(shape.architecture().startsWith("gemma"));
        }
    }

    @Test
    void phi3ShapesAreNamedSoThatLlamaCppLoadsThem() {
        GgufMetadata m = SyntheticLlama.builder().shape(ModelShape.named("phi3-mini")).toWriter().metadata();
        assertThat(m.getString("general.name")).isEqualTo("synthetic-phi-mini");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-qwen2", "tiny-qwen3", "tiny-gemma2", "tiny-gemma3", "tiny-phi3"})
    void tinyShapesLoadAndGenerate(String name) {
        ModelShape shape = ModelShape.named(name);
        Path file = SyntheticLlama.builder().shape(shape).weightType(DType.Q8_0).write(dir.resolve(name + ".gguf"));
        try (Model model = Infer4j.builder().backend("reference").load(file)) {
            assertThat(model.info().architecture()).isEqualTo(shape.architecture());
            assertThat(model.info().vocabSize()).isEqualTo(shape.vocab());
            GenerationResult r = model.generate("Hello world",
                    GenerationOptions.defaults().sampler(SamplerConfig.greedy()).maxTokens(4), TokenListener.NONE);
            assertThat(r.tokens().length).isBetween(1, 4);
            for (int token : r.tokens()) {
                assertThat(token).isBetween(0, shape.vocab() - 1);
            }
        }
    }
}
