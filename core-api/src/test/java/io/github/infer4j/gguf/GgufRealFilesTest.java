package io.github.infer4j.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GGUF files in the shared models folder (see its README), read with the values the README documents. */
class GgufRealFilesTest {

    static Path model(String name) {
        String shared = System.getProperty("infer4j.shared.dir");
        assumeTrue(shared != null, "infer4j.shared.dir is not set");
        Path file = Path.of(shared, "models", name);
        assumeTrue(Files.isRegularFile(file), file + " is not available");
        return file;
    }

    @Test
    void stories260KMetadata() {
        try (GgufFile f = GgufFile.open(model("stories260K.gguf"))) {
            GgufMetadata m = f.metadata();
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.alignment()).isEqualTo(32);
            assertThat(f.dataOffset()).isEqualTo(14176); // header ends at 14152, padded to 32
            assertThat(m.getString("general.architecture")).isEqualTo("llama");
            assertThat(m.getInt("llama.context_length")).isEqualTo(128);
            assertThat(m.getInt("llama.embedding_length")).isEqualTo(64);
            assertThat(m.getInt("llama.feed_forward_length")).isEqualTo(172);
            assertThat(m.getInt("llama.block_count")).isEqualTo(5);
            assertThat(m.getInt("llama.attention.head_count")).isEqualTo(8);
            assertThat(m.getInt("llama.attention.head_count_kv")).isEqualTo(4);
            assertThat(m.getInt("llama.rope.dimension_count")).isEqualTo(8);
            assertThat(m.getFloat("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5f);
            assertThat(m.getString("tokenizer.ggml.model")).isEqualTo("llama");
            assertThat(m.getInt("tokenizer.ggml.bos_token_id")).isEqualTo(1);
            assertThat(m.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(2);
            assertThat(m.getInt("tokenizer.ggml.unknown_token_id")).isEqualTo(0);
            assertThat(m.getLong("tokenizer.ggml.padding_token_id")).isEqualTo(0xFFFF_FFFFL);
            assertThat(m.contains("tokenizer.ggml.add_bos_token")).isFalse();

            List<String> tokens = m.getStringList("tokenizer.ggml.tokens");
            assertThat(tokens).hasSize(512);
            assertThat(tokens.subList(0, 4)).containsExactly("<unk>", "<s>", "</s>", "<0x00>");
            assertThat(tokens.get(258)).isEqualTo("<0xFF>");
            assertThat(m.getFloatArray("tokenizer.ggml.scores")).hasSize(512);
            int[] types = m.getIntArray("tokenizer.ggml.token_type");
            assertThat(types).hasSize(512);
            assertThat(types[0]).isEqualTo(2);
            assertThat(types[1]).isEqualTo(3);
            assertThat(types[2]).isEqualTo(3);
            assertThat(types[3]).isEqualTo(6);
            assertThat(types[258]).isEqualTo(6);
            assertThat(types[259]).isEqualTo(1);
            assertThat(types[511]).isEqualTo(1);

            assertThat(f.tensorInfos()).hasSize(48);
            assertThat(f.tensorInfos().getFirst())
                    .isEqualTo(new GgufTensorInfo("token_embd.weight", DType.F32, new long[] {64, 512}, 0));
            assertThat(f.tensor("blk.4.ffn_down.weight").dims()).containsExactly(172, 64);
            assertThat(f.tensor("blk.0.attn_k.weight").dims()).containsExactly(64, 32);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "stories260K.gguf,      48, 0,  0,  0,  0,  0",
        "stories260K-F16.gguf,  11, 37, 0,  0,  0,  0",
        "stories260K-BF16.gguf, 11, 0,  37, 0,  0,  0",
        "stories260K-Q8_0.gguf, 11, 5,  0,  32, 0,  0",
        "stories260K-Q4_0.gguf, 11, 5,  0,  1,  31, 0"
    })
    void tensorTypeCounts(String name, int f32, int f16, int bf16, int q8, int q4, int none) {
        try (GgufFile f = GgufFile.open(model(name))) {
            Map<DType, Integer> counts = new EnumMap<>(DType.class);
            for (GgufTensorInfo t : f.tensorInfos()) {
                counts.merge(t.type(), 1, Integer::sum);
                if (t.name().endsWith("_norm.weight")) {
                    assertThat(t.type()).as(t.name()).isEqualTo(DType.F32);
                }
            }
            assertThat(counts.getOrDefault(DType.F32, 0)).isEqualTo(f32);
            assertThat(counts.getOrDefault(DType.F16, 0)).isEqualTo(f16);
            assertThat(counts.getOrDefault(DType.BF16, 0)).isEqualTo(bf16);
            assertThat(counts.getOrDefault(DType.Q8_0, 0)).isEqualTo(q8);
            assertThat(counts.getOrDefault(DType.Q4_0, 0)).isEqualTo(q4);
            assertThat(f.tensorInfos()).hasSize(48 + none);
            assertThat(f.metadata().getInt("llama.block_count")).isEqualTo(5);
        }
    }

    @Test
    void q4_0FileKeepsOutputInQ8_0() {
        try (GgufFile f = GgufFile.open(model("stories260K-Q4_0.gguf"))) {
            assertThat(f.tensor("output.weight").type()).isEqualTo(DType.Q8_0);
            assertThat(f.tensor("token_embd.weight").type()).isEqualTo(DType.Q4_0);
            assertThat(f.tensor("blk.2.ffn_down.weight").type()).isEqualTo(DType.F16);
            assertThat(f.metadata().getInt("general.file_type")).isEqualTo(2);
        }
    }

    /**
     * The quantized files were made from stories260K.gguf by llama-quantize, so quantizing the F32 tensors with our
     * reference formats must reproduce their bytes exactly. This pins the formats to ggml, not just to themselves.
     */
    @ParameterizedTest
    @CsvSource({"stories260K-F16.gguf", "stories260K-BF16.gguf", "stories260K-Q8_0.gguf", "stories260K-Q4_0.gguf"})
    void referenceQuantizersReproduceLlamaQuantizeBitForBit(String name) {
        try (GgufFile source = GgufFile.open(model("stories260K.gguf"));
                GgufFile quantized = GgufFile.open(model(name));
                Arena arena = Arena.ofConfined()) {
            int compared = 0;
            for (GgufTensorInfo info : quantized.tensorInfos()) {
                Tensor expected = quantized.tensor(info.name());
                if (expected.type() == DType.F32) {
                    continue;
                }
                Tensor original = source.tensor(info.name());
                int n = (int) original.elementCount();
                float[] values = new float[n];
                DType.F32.format().dequantize(original.data(), 0, values, 0, n);
                MemorySegment ours = arena.allocate(expected.data().byteSize());
                expected.type().format().quantize(values, 0, n, ours, 0);
                assertThat(ours.mismatch(expected.data())).as("%s %s first differing byte", name, info.name())
                        .isEqualTo(-1L);
                compared++;
            }
            assertThat(compared).isEqualTo(37);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "vocab/ggml-vocab-llama-spm.gguf, llama, default,   32000,  0,      llama-spm",
        "vocab/ggml-vocab-llama-bpe.gguf, gpt2,  llama-bpe, 128256, 280147, llama-bpe",
        "vocab/ggml-vocab-qwen2.gguf,     gpt2,  qwen2,     151936, -1,     ''",
        "vocab/ggml-vocab-gpt-2.gguf,     gpt2,  gpt-2,     50257,  -1,     ''"
    })
    void vocabularyFiles(String name, String model, String pre, int tokens, int merges, String generalName) {
        try (GgufFile f = GgufFile.open(model(name))) {
            GgufMetadata m = f.metadata();
            assertThat(f.tensorInfos()).isEmpty();
            assertThat(m.getString("tokenizer.ggml.model")).isEqualTo(model);
            assertThat(m.getString("tokenizer.ggml.pre")).isEqualTo(pre);
            assertThat(m.getStringList("tokenizer.ggml.tokens")).hasSize(tokens);
            assertThat(m.getIntArray("tokenizer.ggml.token_type")).hasSize(tokens);
            if (merges > 0) {
                assertThat(m.getStringList("tokenizer.ggml.merges")).hasSize(merges);
            }
            if (!generalName.isEmpty()) {
                assertThat(m.getString("general.name")).isEqualTo(generalName);
            }
        }
    }

    @Test
    void llamaBpeVocabularyDetails() {
        try (GgufFile f = GgufFile.open(model("vocab/ggml-vocab-llama-bpe.gguf"))) {
            GgufMetadata m = f.metadata();
            assertThat(m.getInt("tokenizer.ggml.bos_token_id")).isEqualTo(128000);
            assertThat(m.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(128001);
            assertThat(m.getFloat("llama.rope.freq_base")).isEqualTo(500000f);
            assertThat(m.getInt("llama.attention.head_count_kv")).isEqualTo(8);
            assertThat(m.getStringList("tokenizer.ggml.merges").getFirst()).isEqualTo("Ġ Ġ");
            assertThat(m.getStringList("tokenizer.ggml.tokens").get(128000)).isEqualTo("<|begin_of_text|>");
        }
    }

    @Test
    void llamaSpmVocabularyFlags() {
        try (GgufFile f = GgufFile.open(model("vocab/ggml-vocab-llama-spm.gguf"))) {
            GgufMetadata m = f.metadata();
            assertThat(m.getBoolean("tokenizer.ggml.add_bos_token", false)).isTrue();
            assertThat(m.getBoolean("tokenizer.ggml.add_eos_token", true)).isFalse();
            assertThat(m.getFloatArray("tokenizer.ggml.scores")).hasSize(32000);
            // The file ends right after its metadata: no tensors, so no padding is required.
            assertThat(f.dataOffset()).isGreaterThanOrEqualTo(723869L);
        }
    }

    @Test
    void tensorDataMatchesTheLlama2cCheckpoint() throws Exception {
        // stories260K.bin: 7 int32 header, then token embeddings (512 x 64 float32), the source of token_embd.
        Path bin = model("stories260K.bin");
        try (GgufFile f = GgufFile.open(model("stories260K.gguf"));
                Arena arena = Arena.ofConfined()) {
            MemorySegment checkpoint = arena.allocate(Files.size(bin));
            checkpoint.copyFrom(MemorySegment.ofArray(Files.readAllBytes(bin)));
            MemorySegment embeddings = checkpoint.asSlice(7 * 4, 512 * 64 * 4);
            assertThat(embeddings.mismatch(f.tensor("token_embd.weight").data())).isEqualTo(-1L);
            assertThat(f.tensor("token_embd.weight").data().get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0))
                    .isEqualTo(embeddings.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0));
        }
    }
}
