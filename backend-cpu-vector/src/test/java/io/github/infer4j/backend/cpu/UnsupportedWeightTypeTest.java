package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4j;
import io.github.infer4j.Infer4jException;
import io.github.infer4j.synthetic.SyntheticLlama;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * cpu-vector computes with every element type Infer4j reads (see CpuVectorBackendProviderTest); a file holding a ggml
 * type outside them (here Q2_K) is refused when loading it for cpu-vector, naming the tensor's type.
 */
class UnsupportedWeightTypeTest {
    private static final int GGML_Q2_K = 10;

    @TempDir
    Path dir;

    @Test
    void aModelWithATypeInfer4jDoesNotReadIsAClearError() throws IOException {
        Path file = SyntheticLlama.builder().dim(256).ffn(256).heads(4).kvHeads(2).weightType(DType.Q4_K)
                .write(dir.resolve("q2k.gguf"));
        byte[] bytes = Files.readAllBytes(file);
        // A tensor's info is its name, its dimension count (u32), two dimensions (u64 each), then its type (u32).
        int type = indexOf(bytes, "blk.0.attn_q.weight".getBytes(StandardCharsets.UTF_8)) + 19 + 4 + 16;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(type, GGML_Q2_K);
        Files.write(file, bytes);
        assertThatThrownBy(() -> Infer4j.builder().backend("cpu-vector").load(file))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("Q2_K");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("tensor name not found in the file");
    }
}
