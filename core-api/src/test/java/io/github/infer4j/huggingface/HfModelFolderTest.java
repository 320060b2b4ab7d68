package io.github.infer4j.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.internal.json.JsonException;
import io.github.infer4j.safetensors.SafetensorsShards;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import io.github.infer4j.testkit.HfFolderWriter;
import io.github.infer4j.testkit.SafetensorsWriter;
import io.github.infer4j.synthetic.SyntheticLlama;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The translation of config.json and tensor names, and the errors for folders Infer4j cannot run. */
class HfModelFolderTest {
    @TempDir
    Path dir;
    private Path folder;

    @BeforeEach
    void writeFolder() {
        Path gguf = SyntheticLlama.builder().write(dir.resolve("m.gguf"));
        folder = HfFolderWriter.from(gguf).write(dir.resolve("hf"));
    }

    /** A folder of {@code architecture} as its Hugging Face class writes it; Gemma 3 has six layers. */
    private Path folder(String architecture) {
        SyntheticLlama.Builder model = SyntheticLlama.builder().architecture(architecture)
                .tiedOutput(architecture.equals("gemma2"));
        if (architecture.equals("gemma3")) {
            model.layers(6).headDim(32).finalLogitSoftcap(0);
        }
        Path gguf = model.write(dir.resolve(architecture + ".gguf"));
        return HfFolderWriter.from(gguf).write(dir.resolve(architecture));
    }

    private static void editConfig(Path folder, String from, String to) throws Exception {
        Path config = folder.resolve("config.json");
        String text = Files.readString(config);
        assertThat(text).contains(from);
        Files.writeString(config, text.replace(from, to));
    }

    private void editConfig(String from, String to) throws Exception {
        editConfig(folder, from, to);
    }

    @Test
    void configBecomesTheGgufHyperParameters() {
        try (HfModelFolder model = HfModelFolder.open(folder, null)) {
            GgufMetadata meta = model.metadata();
            assertThat(meta.getString("general.architecture")).isEqualTo("llama");
            assertThat(meta.getInt("llama.embedding_length")).isEqualTo(64);
            assertThat(meta.getInt("llama.block_count")).isEqualTo(2);
            assertThat(meta.getInt("llama.attention.head_count")).isEqualTo(4);
            assertThat(meta.getInt("llama.attention.head_count_kv")).isEqualTo(2);
            assertThat(meta.getInt("llama.feed_forward_length")).isEqualTo(128);
            assertThat(meta.getInt("llama.context_length")).isEqualTo(256);
            assertThat(meta.getInt("llama.rope.dimension_count")).isEqualTo(16);
            assertThat(meta.getFloat("llama.rope.freq_base")).isEqualTo(10000f);
            assertThat(meta.getFloat("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5f);
            assertThat(model.weights().names()).contains("token_embd.weight", "blk.1.ffn_down.weight",
                    "output_norm.weight").doesNotContain("output.weight");
            assertThat(model.format()).isEqualTo("safetensors");
        }
    }

    @Test
    void onlyTheRotaryProjectionsAreCopiedUnlessQuantizing() {
        try (HfModelFolder model = HfModelFolder.open(folder, null)) {
            Tensor q = model.weights().tensor("blk.0.attn_q.weight");
            Tensor k = model.weights().tensor("blk.0.attn_k.weight");
            assertThat(model.copiedBytes()).isEqualTo(2 * (q.data().byteSize() + k.data().byteSize()));
            assertThat(q.data().isMapped()).isFalse();
            assertThat(model.weights().tensor("blk.0.attn_v.weight").data().isMapped()).isTrue();
        }
        try (HfModelFolder model = HfModelFolder.open(folder, DType.Q8_0)) {
            assertThat(model.weights().tensor("blk.0.attn_v.weight").type()).isEqualTo(DType.Q8_0);
            assertThat(model.weights().tensor("blk.0.attn_norm.weight").type()).isEqualTo(DType.F32);
            assertThat(model.weights().tensor("blk.0.attn_norm.weight").data().isMapped()).isTrue();
        }
    }

    @Test
    void rotaryPairsInterleaveTheHalvesOfEachHead() {
        Tensor projection = new Tensor("q", DType.F32, new long[] {1, 8}, MemorySegment.ofArray(new float[8]));
        assertThat(RotaryPairs.rowOrder(projection, 2, folder)).containsExactly(0, 2, 1, 3, 4, 6, 5, 7);
        assertThatThrownBy(() -> RotaryPairs.rowOrder(projection, 8, folder)).isInstanceOf(Infer4jException.class)
                .hasMessage(folder + ": q has 8 rows, which do not split into 8 heads of an even size");
    }

    @Test
    void llama3RopeScalingBecomesTheGgufKeys() throws Exception {
        editConfig("\"rope_scaling\":null", "\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":32.0,"
                + "\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192}");
        try (HfModelFolder model = HfModelFolder.open(folder, null)) {
            GgufMetadata meta = model.metadata();
            assertThat(meta.getString("llama.rope.scaling.type")).isEqualTo("llama3");
            assertThat(meta.getFloat("llama.rope.scaling.factor")).isEqualTo(32f);
            assertThat(meta.getFloat("llama.rope.scaling.low_freq_factor")).isEqualTo(1f);
            assertThat(meta.getFloat("llama.rope.scaling.high_freq_factor")).isEqualTo(4f);
            assertThat(meta.getInt("llama.rope.scaling.original_context_length")).isEqualTo(8192);
        }
    }

    @Test
    void eachFamilyGetsItsGgufKeysAndTensorNames() {
        try (HfModelFolder qwen2 = HfModelFolder.open(folder("qwen2"), null);
             HfModelFolder qwen3 = HfModelFolder.open(folder("qwen3"), null);
             HfModelFolder phi3 = HfModelFolder.open(folder("phi3"), null)) {
            assertThat(qwen2.metadata().getString("general.architecture")).isEqualTo("qwen2");
            assertThat(qwen2.weights().names()).contains("blk.1.attn_q.bias", "blk.1.attn_v.bias", "output.weight");
            assertThat(qwen3.weights().names()).contains("blk.0.attn_q_norm.weight", "blk.0.attn_k_norm.weight");
            assertThat(phi3.weights().names()).contains("blk.0.attn_qkv.weight", "blk.0.ffn_up.weight")
                    .doesNotContain("blk.0.ffn_gate.weight", "blk.0.attn_q.weight");
            assertThat(phi3.metadata().getInt("phi3.rope.dimension_count")).isEqualTo(16);
            assertThat(phi3.copiedBytes()).as("no rotary re-layout outside Llama").isZero();
        }
        try (HfModelFolder gemma2 = HfModelFolder.open(folder("gemma2"), null)) {
            GgufMetadata meta = gemma2.metadata();
            assertThat(meta.getFloat("gemma2.attn_logit_softcapping")).isEqualTo(50f);
            assertThat(meta.getFloat("gemma2.final_logit_softcapping")).isEqualTo(30f);
            assertThat(meta.getInt("gemma2.attention.sliding_window")).isEqualTo(4);
            assertThat(meta.getInt("gemma2.attention.sliding_window_pattern")).isEqualTo(2);
            assertThat(meta.contains("gemma2.rope.freq_base_swa")).isFalse();
            assertThat(gemma2.weights().names()).contains("blk.0.post_attention_norm.weight",
                    "blk.0.ffn_norm.weight", "blk.0.post_ffw_norm.weight");
        }
        try (HfModelFolder gemma3 = HfModelFolder.open(folder("gemma3"), null)) {
            GgufMetadata meta = gemma3.metadata();
            assertThat(meta.getInt("gemma3.attention.key_length")).isEqualTo(32);
            assertThat(meta.getInt("gemma3.attention.sliding_window_pattern")).isEqualTo(6);
            assertThat(meta.getFloat("gemma3.rope.freq_base_swa")).isEqualTo(10000f);
            assertThat(meta.contains("gemma3.final_logit_softcapping")).isFalse();
            assertThat(meta.contains("gemma3.attn_logit_softcapping")).isFalse();
        }
    }

    /** Hugging Face stores Gemma's norm as w of a 1 + w scaling; the GGUF graph reads the converter's w + 1. */
    @Test
    void gemmaNormWeightsAreShiftedByOneIntoF32Copies() {
        Path gemma = folder("gemma2");
        try (HfModelFolder model = HfModelFolder.open(gemma, null);
             GgufFile gguf = GgufFile.open(dir.resolve("gemma2.gguf"));
             SafetensorsShards stored = SafetensorsShards.open(gemma)) {
            for (String[] names : new String[][] {
                {"blk.1.post_ffw_norm.weight", "model.layers.1.post_feedforward_layernorm.weight"},
                {"output_norm.weight", "model.norm.weight"}}) {
                float[] loaded = floats(model.weights().tensor(names[0]));
                assertThat(loaded).containsExactly(floats(gguf.tensor(names[0])));
                float[] hf = floats(stored.tensor(names[1]));
                assertThat(hf[0]).isCloseTo(loaded[0] - 1f, within(1e-6f));
            }
            assertThat(model.weights().tensor("blk.0.attn_norm.weight").data().isMapped()).isFalse();
            assertThat(model.weights().tensor("blk.0.attn_q.weight").data().isMapped()).isTrue();
        }
    }

    private static float[] floats(Tensor t) {
        return t.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
    }

    @Test
    void aStoredLmHeadIsIgnoredWhereTheClassifierIsTheEmbeddingTable() throws Exception {
        Path gemma = folder("gemma2");
        new SafetensorsWriter().add("lm_head.weight", DType.F32, new long[] {301, 64}, new float[301 * 64])
                .write(gemma.resolve("head.safetensors"));
        try (HfModelFolder model = HfModelFolder.open(gemma, null)) {
            assertThat(model.weights().names()).doesNotContain("output.weight");
        }
        Path qwen = folder("qwen2");
        editConfig(qwen, "\"tie_word_embeddings\":false", "\"tie_word_embeddings\":true");
        try (HfModelFolder model = HfModelFolder.open(qwen, null)) {
            assertThat(model.weights().names()).as("Transformers ties lm_head to the embeddings")
                    .doesNotContain("output.weight");
        }
    }

    @Test
    void partialRotaryFactorSetsTheRopeDimensionsAsTheConverterDoes() throws Exception {
        Path phi3 = folder("phi3");
        editConfig(phi3, "\"sliding_window\":2047", "\"sliding_window\":2047,\"partial_rotary_factor\":0.75");
        try (HfModelFolder model = HfModelFolder.open(phi3, null)) {
            assertThat(model.metadata().getInt("phi3.rope.dimension_count")).as("int(0.75 * 64) / 4").isEqualTo(12);
        }
    }

    /** Transformers 5 writes rope_parameters, for Gemma 3 one object per layer type. */
    @Test
    void ropeParametersPerLayerTypeGiveTheGlobalAndLocalBases() throws Exception {
        Path gemma = folder("gemma3");
        editConfig(gemma, "\"rope_scaling\":null", "\"rope_parameters\":{\"full_attention\":{\"rope_type\":"
                + "\"linear\",\"factor\":8.0,\"rope_theta\":1000000.0},\"sliding_attention\":{\"rope_type\":"
                + "\"default\",\"rope_theta\":20000.0}}");
        try (HfModelFolder model = HfModelFolder.open(gemma, null)) {
            GgufMetadata meta = model.metadata();
            assertThat(meta.getFloat("gemma3.rope.freq_base")).isEqualTo(1e6f);
            assertThat(meta.getString("gemma3.rope.scaling.type")).isEqualTo("linear");
            assertThat(meta.getFloat("gemma3.rope.scaling.factor")).isEqualTo(8f);
            assertThat(meta.getFloat("gemma3.rope.freq_base_swa")).isEqualTo(20000f);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gemma3 | sliding,sliding,sliding,sliding,sliding,full | 6",
        "gemma3 | full,full,full,full,full,full | 1",
        "gemma2 | sliding,full | 2"})
    void layerTypesBecomeTheSlidingWindowPattern(String architecture, String types, int pattern) throws Exception {
        Path gemma = folder(architecture);
        String list = "[\"" + types.replace("sliding", "sliding_attention").replace("full", "full_attention")
                .replace(",", "\",\"") + "\"]";
        editConfig(gemma, "\"query_pre_attn_scalar\"", "\"layer_types\":" + list + ",\"query_pre_attn_scalar\"");
        if (architecture.equals("gemma3")) {
            editConfig(gemma, "\"sliding_window_pattern\":6,", "");
        }
        try (HfModelFolder model = HfModelFolder.open(gemma, null)) {
            assertThat(model.metadata().getInt(architecture + ".attention.sliding_window_pattern")).isEqualTo(pattern);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "qwen2  | \"use_sliding_window\":false | \"use_sliding_window\":true | use_sliding_window: true is not supported by this architecture in Infer4j",
        "qwen3  | \"use_sliding_window\":false | \"layer_types\":[\"full_attention\",\"sliding_attention\"] | layer_types[1]: 'sliding_attention' is not supported; this architecture runs only full_attention layers in Infer4j",
        "phi3   | \"rope_scaling\":null | \"rope_scaling\":{\"type\":\"longrope\",\"long_factor\":[1.0],\"short_factor\":[1.0]} | rope_scaling.type: 'longrope' (the LongRoPE of Phi-3's 128k variants) is not supported",
        "phi3   | \"sliding_window\":2047 | \"partial_rotary_factor\":1.5 | partial_rotary_factor: must be in (0, 1], got 1.5",
        "gemma2 | \"attn_logit_softcapping\":50.0 | \"attn_logit_softcapping\":null | attn_logit_softcapping: null is not supported: Infer4j, like llama.cpp, runs Gemma 2 with soft-capping",
        "gemma2 | \"tie_word_embeddings\":true | \"tie_word_embeddings\":false | tie_word_embeddings: false is not supported: Gemma 2's classifier is its embedding table in Infer4j, as in llama.cpp",
        "gemma2 | \"hidden_activation\":\"gelu_pytorch_tanh\" | \"hidden_activation\":\"gelu\" | hidden_activation: 'gelu' is not supported; Infer4j runs this architecture with 'gelu_pytorch_tanh'",
        "gemma2 | \"query_pre_attn_scalar\":16 | \"query_pre_attn_scalar\":144 | query_pre_attn_scalar: 144.0 is not supported: Infer4j, like llama.cpp, scales queries by the head size 16 (by embedding / heads = 16 for 46 layers), which gives 16 here",
        "gemma3 | \"attn_logit_softcapping\":null | \"attn_logit_softcapping\":50.0 | attn_logit_softcapping: must be null for Gemma 3 (Infer4j, like llama.cpp, does not soft-cap Gemma 3's attention)",
        "gemma3 | \"sliding_window_pattern\":6 | \"layer_types\":[\"sliding_attention\",\"full_attention\",\"full_attention\",\"sliding_attention\",\"sliding_attention\",\"full_attention\"] | layer_types: layer 2 is 'full_attention' where a pattern of one full_attention layer in 2 has sliding_attention; Infer4j runs only such patterns",
        "gemma3 | \"rope_scaling\":null | \"rope_parameters\":{\"sliding_attention\":{\"rope_type\":\"linear\",\"factor\":8.0}} | rope_parameters.sliding_attention.rope_type: 'linear' is not supported for the sliding-window layers of Gemma 3, which turn RoPE unscaled",
        "gemma3 | \"Gemma3ForCausalLM\" | \"Gemma3ForConditionalGeneration\" | text_config: is missing; Gemma3ForConditionalGeneration keeps the settings of its language model there",
    })
    void unsupportedSettingsOfEachFamilyNameTheKey(String architecture, String from, String to, String message)
            throws Exception {
        Path family = folder(architecture);
        editConfig(family, from, to);
        assertThatThrownBy(() -> HfModelFolder.open(family, null)).isInstanceOf(JsonException.class)
                .hasMessage(family.resolve("config.json") + ": " + message);
    }

    @Test
    void errorsInAMultimodalConfigNameTheKeyInTextConfig() throws Exception {
        Path gguf = SyntheticLlama.builder().architecture("gemma3").headDim(32).tiedOutput(false)
                .write(dir.resolve("g.gguf"));
        Path multimodal = HfFolderWriter.from(gguf).multimodal(true).write(dir.resolve("mm"));
        try (HfModelFolder model = HfModelFolder.open(multimodal, null)) {
            assertThat(model.metadata().getString("general.architecture")).isEqualTo("gemma3");
            assertThat(model.weights().names()).contains("blk.1.attn_q_norm.weight", "output.weight")
                    .noneMatch(name -> name.contains("vision"));
        }
        Path extra = new SafetensorsWriter().add("model.language_model.norm.weight", DType.F32, new long[] {64},
                new float[64]).write(multimodal.resolve("extra.safetensors"));
        assertThatThrownBy(() -> HfModelFolder.open(multimodal, null))
                .hasMessageContainingAll("'language_model.model.norm.weight'", "'model.language_model.norm.weight'")
                .hasMessageEndingWith(" are both output_norm.weight");
        Files.delete(extra);
        editConfig(multimodal, "\"num_hidden_layers\":2", "\"num_hidden_layers\":0");
        assertThatThrownBy(() -> HfModelFolder.open(multimodal, null))
                .hasMessage(multimodal.resolve("config.json") + ": text_config.num_hidden_layers: must be positive, got 0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\"LlamaForCausalLM\"      | \"FalconForCausalLM\" | architectures: model class FalconForCausalLM is not supported; supported: [LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM, Gemma2ForCausalLM, Gemma3ForCausalLM, Gemma3ForConditionalGeneration, Phi3ForCausalLM]",
        "\"hidden_act\":\"silu\"   | \"hidden_act\":\"gelu\" | hidden_act: 'gelu' is not supported; Infer4j runs this architecture with 'silu'",
        "\"attention_bias\":false  | \"attention_bias\":true | attention_bias: true is not supported by this architecture in Infer4j",
        "\"num_hidden_layers\":2   | \"num_hidden_layers\":0 | num_hidden_layers: must be positive, got 0",
        "\"hidden_size\":64        | \"hidden_size\":\"64\" | hidden_size: expected an integer, found string",
        "\"rope_scaling\":null     | \"rope_scaling\":{\"type\":\"yarn\",\"factor\":4.0} | rope_scaling.type: 'yarn' is not supported; supported: default, linear, llama3",
        "\"tie_word_embeddings\":true | \"tie_word_embeddings\":false | tie_word_embeddings: is false, but the safetensors files hold no lm_head.weight",
    })
    void unsupportedConfigsNameTheKey(String from, String to, String message) throws Exception {
        editConfig(from, to);
        assertThatThrownBy(() -> HfModelFolder.open(folder, null)).isInstanceOf(JsonException.class)
                .hasMessage(folder.resolve("config.json") + ": " + message);
    }

    @Test
    void aTensorWithoutAPlaceIsAnErrorRatherThanIgnored() {
        new SafetensorsWriter().add("model.layers.0.self_attn.q_proj.bias", DType.F32, new long[] {64}, new float[64])
                .write(folder.resolve("extra.safetensors"));
        assertThatThrownBy(() -> HfModelFolder.open(folder, null)).isInstanceOf(Infer4jException.class)
                .hasMessage(folder + ": tensor 'model.layers.0.self_attn.q_proj.bias' has no place in a llama model"
                        + " of 2 layers");
    }

    @Test
    void aLayerBeyondTheConfiguredCountIsAnError() {
        new SafetensorsWriter().add("model.layers.2.input_layernorm.weight", DType.F32, new long[] {64}, new float[64])
                .write(folder.resolve("extra.safetensors"));
        assertThatThrownBy(() -> HfModelFolder.open(folder, null))
                .hasMessageContaining("tensor 'model.layers.2.input_layernorm.weight' has no place in a llama model");
    }

    @Test
    void rotaryFrequencyBuffersAreSkipped() {
        new SafetensorsWriter()
                .add("model.layers.0.self_attn.rotary_emb.inv_freq", DType.F32, new long[] {8}, new float[8])
                .write(folder.resolve("extra.safetensors"));
        try (HfModelFolder model = HfModelFolder.open(folder, null)) {
            assertThat(model.weights().names()).noneMatch(name -> name.contains("inv_freq"));
        }
    }

    @Test
    void aFolderWithoutConfigJsonIsNotAModelFolder() throws Exception {
        Files.delete(folder.resolve("config.json"));
        assertThatThrownBy(() -> HfModelFolder.open(folder, null)).isInstanceOf(Infer4jException.class)
                .hasMessage(folder + ": not a model folder: a Hugging Face model folder has a config.json");
    }
}
