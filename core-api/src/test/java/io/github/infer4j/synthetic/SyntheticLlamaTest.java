package io.github.infer4j.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.gguf.GgufTensorInfo;
import io.github.infer4j.gguf.GgufWriter;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticLlamaTest {
    @TempDir
    Path dir;

    @Test
    void writesALlamaThatReadsBackWithLlamaCppNamesAndShapes() {
        Path file = SyntheticLlama.builder().dim(64).layers(3).heads(8).kvHeads(2).ffn(96).context(512)
                .weightType(DType.Q8_0).tiedOutput(false).vocab(400).ropeFreqBase(500000f)
                .write(dir.resolve("q8.gguf"));
        try (GgufFile f = GgufFile.open(file)) {
            GgufMetadata m = f.metadata();
            assertThat(m.getString("general.architecture")).isEqualTo("llama");
            assertThat(m.getInt("llama.context_length")).isEqualTo(512);
            assertThat(m.getInt("llama.embedding_length")).isEqualTo(64);
            assertThat(m.getInt("llama.block_count")).isEqualTo(3);
            assertThat(m.getInt("llama.feed_forward_length")).isEqualTo(96);
            assertThat(m.getInt("llama.attention.head_count")).isEqualTo(8);
            assertThat(m.getInt("llama.attention.head_count_kv")).isEqualTo(2);
            assertThat(m.getInt("llama.rope.dimension_count")).isEqualTo(8);
            assertThat(m.getFloat("llama.rope.freq_base")).isEqualTo(500000f);
            assertThat(m.getFloat("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5f);
            assertThat(m.getInt("llama.vocab_size")).isEqualTo(400);
            assertThat(m.getInt("general.file_type")).isEqualTo(7);

            List<String> names = new ArrayList<>();
            for (GgufTensorInfo t : f.tensorInfos()) {
                names.add(t.name());
                assertThat(t.type()).as(t.name()).isEqualTo(t.name().contains("norm") ? DType.F32 : DType.Q8_0);
            }
            assertThat(names).hasSize(1 + 3 * 9 + 2).startsWith("token_embd.weight")
                    .contains("blk.2.attn_k.weight", "blk.0.ffn_down.weight", "output_norm.weight")
                    .endsWith("output.weight");
            assertThat(f.tensor("token_embd.weight").dims()).containsExactly(64, 400);
            assertThat(f.tensor("blk.1.attn_q.weight").dims()).containsExactly(64, 64);
            assertThat(f.tensor("blk.1.attn_k.weight").dims()).containsExactly(64, 16);
            assertThat(f.tensor("blk.1.attn_v.weight").dims()).containsExactly(64, 16);
            assertThat(f.tensor("blk.1.attn_output.weight").dims()).containsExactly(64, 64);
            assertThat(f.tensor("blk.1.ffn_gate.weight").dims()).containsExactly(64, 96);
            assertThat(f.tensor("blk.1.ffn_up.weight").dims()).containsExactly(64, 96);
            assertThat(f.tensor("blk.1.ffn_down.weight").dims()).containsExactly(96, 64);
            assertThat(f.tensor("blk.1.ffn_norm.weight").dims()).containsExactly(64);
            assertThat(f.tensor("output.weight").dims()).containsExactly(64, 400);

            float[] q = values(f.tensor("blk.0.attn_q.weight"));
            assertThat(standardDeviation(q)).isBetween(0.018, 0.022);
            float[] norm = values(f.tensor("blk.0.attn_norm.weight"));
            for (float v : norm) {
                assertThat(v).isBetween(0.9f, 1.1f);
            }
        }
    }

    @Test
    void bpeVocabularyIsLlama3Shaped() {
        Path file = SyntheticLlama.builder().write(dir.resolve("bpe.gguf"));
        try (GgufFile f = GgufFile.open(file)) {
            GgufMetadata m = f.metadata();
            assertThat(m.getString("tokenizer.ggml.model")).isEqualTo("gpt2");
            assertThat(m.getString("tokenizer.ggml.pre")).isEqualTo("llama-bpe");
            List<String> tokens = m.getStringList("tokenizer.ggml.tokens");
            int[] types = m.getIntArray("tokenizer.ggml.token_type");
            assertThat(tokens).hasSize(SyntheticLlama.minimalBpeVocabSize()).doesNotHaveDuplicates();
            assertThat(m.getInt("llama.vocab_size")).isEqualTo(tokens.size());
            assertThat(f.tensor("token_embd.weight").dims()).containsExactly(64, tokens.size());
            assertThat(f.hasTensor("output.weight")).as("tied by default").isFalse();

            // Byte tokens as in Llama 3: '!' first, space is 'Ġ' (U+0120), newline 'Ċ' (U+010A).
            assertThat(tokens.getFirst()).isEqualTo("!");
            assertThat(tokens.subList(0, 256)).contains("Ġ", "Ċ", "ÿ", "Ā");
            assertThat(tokens.get(255)).isEqualTo("Ń");

            List<String> merges = m.getStringList("tokenizer.ggml.merges");
            assertThat(merges).isEqualTo(SyntheticLlama.MERGES);
            Set<String> vocabulary = new HashSet<>(tokens);
            for (String merge : merges) {
                String[] parts = merge.split(" ");
                assertThat(vocabulary).as(merge).contains(parts[0], parts[1], parts[0] + parts[1]);
            }
            assertThat(tokens).contains("Ġthe", "Hello", "Ġworld", "ĊĊ");

            int bos = m.getInt("tokenizer.ggml.bos_token_id");
            int eos = m.getInt("tokenizer.ggml.eos_token_id");
            assertThat(tokens.get(bos)).isEqualTo("<|begin_of_text|>");
            assertThat(tokens.get(eos)).isEqualTo("<|eot_id|>");
            for (String special : SyntheticLlama.SPECIAL_TOKENS) {
                assertThat(types[tokens.indexOf(special)]).as(special).isEqualTo(3);
            }
            assertThat(types[0]).isEqualTo(1);
            assertThat(types[tokens.indexOf("ĊĊ")]).as("merged tokens are normal").isEqualTo(1);
            assertThat(m.getBoolean("tokenizer.ggml.add_bos_token", false)).isTrue();
            assertThat(m.getString("tokenizer.chat_template")).contains("<|start_header_id|>", "<|eot_id|>",
                    "add_generation_prompt");
        }
    }

    @Test
    void largerBpeVocabulariesArePaddedWithReservedSpecialTokens() {
        int minimal = SyntheticLlama.minimalBpeVocabSize();
        Path file = SyntheticLlama.builder().vocab(minimal + 3).write(dir.resolve("padded.gguf"));
        try (GgufFile f = GgufFile.open(file)) {
            List<String> tokens = f.metadata().getStringList("tokenizer.ggml.tokens");
            assertThat(tokens.subList(minimal, minimal + 3)).containsExactly("<|reserved_special_token_0|>",
                    "<|reserved_special_token_1|>", "<|reserved_special_token_2|>");
            assertThat(f.metadata().getIntArray("tokenizer.ggml.token_type")[minimal + 2]).isEqualTo(3);
        }
    }

    @Test
    void spmVocabularyIsCopiedFromGivenMetadata() {
        Path vocabFile = dir.resolve("spm-source.gguf");
        new GgufWriter().putString("tokenizer.ggml.model", "llama")
                .putStringArray("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "▁a", "b"))
                .putFloatArray("tokenizer.ggml.scores", new float[] {0, 0, 0, -1, -2})
                .putInt32Array("tokenizer.ggml.token_type", new int[] {2, 3, 3, 1, 1})
                .putUInt32("tokenizer.ggml.bos_token_id", 1)
                .putUInt32("tokenizer.ggml.eos_token_id", 2)
                .putString("general.name", "not copied")
                .write(vocabFile);
        try (GgufFile source = GgufFile.open(vocabFile)) {
            Path file = SyntheticLlama.builder().spmTokenizerFrom(source.metadata()).weightType(DType.F16)
                    .write(dir.resolve("spm.gguf"));
            try (GgufFile f = GgufFile.open(file)) {
                GgufMetadata m = f.metadata();
                assertThat(m.getString("tokenizer.ggml.model")).isEqualTo("llama");
                assertThat(m.getStringList("tokenizer.ggml.tokens")).containsExactly("<unk>", "<s>", "</s>", "▁a", "b");
                assertThat(m.getFloatArray("tokenizer.ggml.scores")).containsExactly(0, 0, 0, -1, -2);
                assertThat(m.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(2);
                assertThat(m.getString("general.name")).isEqualTo("synthetic-llama");
                assertThat(m.getInt("llama.vocab_size")).isEqualTo(5);
                assertThat(f.tensor("token_embd.weight").dims()).containsExactly(64, 5);
                assertThat(f.tensor("token_embd.weight").type()).isEqualTo(DType.F16);
                assertThat(m.contains("tokenizer.ggml.merges")).isFalse();
            }
        }
    }

    @Test
    void stories260KVocabularyCanBeReused() {
        String shared = System.getProperty("infer4j.shared.dir");
        assumeTrue(shared != null && Files.isRegularFile(Path.of(shared, "models", "stories260K.gguf")));
        try (GgufFile stories = GgufFile.open(Path.of(shared, "models", "stories260K.gguf"))) {
            Path file = SyntheticLlama.builder().spmTokenizerFrom(stories.metadata()).weightType(DType.Q4_0)
                    .write(dir.resolve("stories-vocab.gguf"));
            try (GgufFile f = GgufFile.open(file)) {
                assertThat(f.metadata().getStringList("tokenizer.ggml.tokens"))
                        .isEqualTo(stories.metadata().getStringList("tokenizer.ggml.tokens"));
                assertThat(f.tensor("token_embd.weight").dims()).containsExactly(64, 512);
            }
        }
    }

    @Test
    void shapeSetsEveryHyperParameter() {
        ModelShape shape = ModelShape.named("tiny-256");
        Path file = SyntheticLlama.builder().shape(shape).weightType(DType.Q4_0).write(dir.resolve("tiny-256.gguf"));
        try (GgufFile f = GgufFile.open(file)) {
            GgufMetadata m = f.metadata();
            assertThat(m.getString("general.name")).isEqualTo("synthetic-tiny-256");
            assertThat(m.getInt("llama.embedding_length")).isEqualTo(256);
            assertThat(m.getInt("llama.block_count")).isEqualTo(shape.layers());
            assertThat(m.getInt("llama.feed_forward_length")).isEqualTo(512);
            assertThat(m.getInt("llama.attention.head_count")).isEqualTo(shape.heads());
            assertThat(m.getInt("llama.attention.head_count_kv")).isEqualTo(shape.kvHeads());
            assertThat(m.getInt("llama.vocab_size")).isEqualTo(shape.vocab());
            assertThat(m.getInt("llama.context_length")).isEqualTo(shape.context());
            assertThat(m.getInt("general.file_type")).as("LLAMA_FTYPE_MOSTLY_Q4_0").isEqualTo(2);
            assertThat(f.hasTensor("output.weight")).isEqualTo(!shape.tiedOutput());
            assertThat(f.tensor("blk.1.ffn_down.weight").dims()).containsExactly(512, 256);
        }
    }

    @Test
    void matrixWeightsAreCentredWithTheRequestedSpreadAndBounded() {
        Path file = SyntheticLlama.builder().dim(256).ffn(512).weightScale(0.5f).write(dir.resolve("spread.gguf"));
        try (GgufFile f = GgufFile.open(file)) {
            float[] w = values(f.tensor("blk.0.ffn_up.weight"));
            double mean = 0;
            for (float v : w) {
                mean += v;
                assertThat(Math.abs(v)).isLessThanOrEqualTo(0.5f * 3.5f);
            }
            assertThat(mean / w.length).isCloseTo(0, within(0.01));
            assertThat(standardDeviation(w)).isCloseTo(0.5, within(0.01));
            assertThat(f.tensor("blk.0.ffn_up.weight").data().mismatch(f.tensor("blk.0.ffn_gate.weight").data()))
                    .as("each matrix has its own values").isNotEqualTo(-1L);
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherWeights() throws IOException {
        Path a = SyntheticLlama.builder().seed(1).write(dir.resolve("a.gguf"));
        Path b = SyntheticLlama.builder().seed(1).write(dir.resolve("b.gguf"));
        Path c = SyntheticLlama.builder().seed(2).write(dir.resolve("c.gguf"));
        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
        assertThat(Files.mismatch(a, c)).isNotEqualTo(-1L);
    }

    @Test
    void impossibleShapesAreRejected() {
        assertThatThrownBy(() -> SyntheticLlama.builder().dim(48).weightType(DType.Q4_0).toWriter())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
        assertThatThrownBy(() -> SyntheticLlama.builder().heads(4).kvHeads(3).toWriter())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kvHeads");
        assertThatThrownBy(() -> SyntheticLlama.builder().vocab(10).toWriter())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least");
        assertThatThrownBy(() -> SyntheticLlama.builder().weightType(DType.Q4_K).toWriter())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 256");
        assertThatThrownBy(() -> SyntheticLlama.builder().dim(256).ffn(288).weightType(DType.Q6_K).toWriter())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blk.0.ffn_down.weight").hasMessageContaining("got 288");
        assertThatThrownBy(() -> SyntheticLlama.builder().tensorType("blk.9.attn_q.weight", DType.Q8_0).toWriter())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blk.9.attn_q.weight");
    }

    @Test
    void tensorTypeOverridesTheTypeOfOneMatrix() {
        Path file = SyntheticLlama.builder().dim(256).ffn(288).weightType(DType.Q4_K).tiedOutput(false)
                .tensorType("blk.0.ffn_down.weight", DType.Q5_0)
                .tensorType("blk.1.ffn_down.weight", DType.Q8_0)
                .tensorType("blk.1.attn_v.weight", DType.Q6_K)
                .tensorType("output.weight", DType.Q6_K)
                .write(dir.resolve("mix.gguf"));
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.metadata().getInt("general.file_type")).as("LLAMA_FTYPE_MOSTLY_Q4_K_M").isEqualTo(15);
            assertThat(f.tensor("blk.0.ffn_down.weight").type()).isEqualTo(DType.Q5_0);
            assertThat(f.tensor("blk.1.ffn_down.weight").type()).isEqualTo(DType.Q8_0);
            assertThat(f.tensor("blk.1.attn_v.weight").type()).isEqualTo(DType.Q6_K);
            assertThat(f.tensor("output.weight").type()).isEqualTo(DType.Q6_K);
            assertThat(f.tensor("blk.0.attn_v.weight").type()).isEqualTo(DType.Q4_K);
            assertThat(f.tensor("token_embd.weight").type()).isEqualTo(DType.Q4_K);
            assertThat(f.tensor("blk.1.ffn_norm.weight").type()).isEqualTo(DType.F32);
            assertThat(f.tensor("blk.0.ffn_down.weight").dims()).containsExactly(288, 256);
        }
    }

    private static float[] values(Tensor t) {
        float[] out = new float[(int) t.elementCount()];
        t.type().format().dequantize(t.data(), 0, out, 0, out.length);
        return out;
    }

    private static double standardDeviation(float[] v) {
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        return Math.sqrt(sq / v.length - mean * mean);
    }
}
