package io.github.infer4j.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.internal.json.JsonException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import io.github.infer4j.testkit.HfFolderWriter;
import io.github.infer4j.testkit.SafetensorsWriter;
import io.github.infer4j.synthetic.SyntheticLlama;
import java.lang.foreign.MemorySegment;
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

    private void editConfig(String from, String to) throws Exception {
        Path config = folder.resolve("config.json");
        String text = Files.readString(config);
        assertThat(text).contains(from);
        Files.writeString(config, text.replace(from, to));
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\"LlamaForCausalLM\"      | \"Qwen2ForCausalLM\" | architectures: model class Qwen2ForCausalLM is not supported; supported: [LlamaForCausalLM, MistralForCausalLM]",
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
