package io.github.infer4j.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.internal.json.JsonException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.testkit.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsShardsTest {
    @TempDir
    Path dir;

    private void twoShards() {
        new SafetensorsWriter().add("a", DType.F32, new long[] {2}, new float[] {1, 2})
                .add("b", DType.F32, new long[] {1}, new float[] {3})
                .write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().add("c", DType.F16, new long[] {2}, new float[] {4, 5})
                .write(dir.resolve("model-00002-of-00002.safetensors"));
    }

    private void index(String weightMap) throws Exception {
        Files.writeString(dir.resolve(SafetensorsShards.INDEX),
                "{\"metadata\": {\"total_size\": 16}, \"weight_map\": " + weightMap + "}");
    }

    @Test
    void theIndexMapsEachTensorToItsShard() throws Exception {
        twoShards();
        index("{\"c\": \"model-00002-of-00002.safetensors\", \"a\": \"model-00001-of-00002.safetensors\","
                + " \"b\": \"model-00001-of-00002.safetensors\"}");
        try (SafetensorsShards shards = SafetensorsShards.open(dir)) {
            assertThat(shards.names()).containsExactly("c", "a", "b");
            assertThat(shards.files()).hasSize(2);
            assertThat(shards.tensor("c").type()).isEqualTo(DType.F16);
            assertThat(shards.info("a").shape()).containsExactly(2);
            assertThat(shards.byteSize()).isEqualTo(Files.size(dir.resolve("model-00001-of-00002.safetensors"))
                    + Files.size(dir.resolve("model-00002-of-00002.safetensors")));
        }
    }

    @Test
    void withoutAnIndexEveryFileInTheFolderIsRead() {
        twoShards();
        try (SafetensorsShards shards = SafetensorsShards.open(dir)) {
            assertThat(shards.names()).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(shards.tensor("b").elementCount()).isEqualTo(1);
            assertThatThrownBy(() -> shards.tensor("d")).isInstanceOf(Infer4jException.class)
                    .hasMessage(dir + ": no tensor named 'd' in its safetensors files");
        }
    }

    @Test
    void withoutAnIndexATensorMayNotBeInTwoFiles() {
        twoShards();
        new SafetensorsWriter().add("a", DType.F32, new long[] {1}, new float[1]).write(dir.resolve("z.safetensors"));
        assertThatThrownBy(() -> SafetensorsShards.open(dir)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(dir.resolve("z.safetensors") + ": tensor 'a': also in model-00001-of-00002.safetensors;"
                        + " without an model.safetensors.index.json every tensor must be in one file only");
    }

    @Test
    void indexErrorsNameTheIndexAndTheTensor() throws Exception {
        twoShards();
        Path index = dir.resolve(SafetensorsShards.INDEX);
        index("{\"a\": \"model-00003-of-00003.safetensors\"}");
        assertThatThrownBy(() -> SafetensorsShards.open(dir)).isInstanceOf(JsonException.class)
                .hasMessage(index + ": weight_map.a: the file model-00003-of-00003.safetensors is not in " + dir);
        index("{\"a\": \"../model-00001-of-00002.safetensors\"}");
        assertThatThrownBy(() -> SafetensorsShards.open(dir)).hasMessage(index + ": weight_map.a: "
                + "'../model-00001-of-00002.safetensors' is not the name of a .safetensors file in the same folder");
        index("{\"c\": \"model-00001-of-00002.safetensors\"}");
        assertThatThrownBy(() -> SafetensorsShards.open(dir)).hasMessage(index + ": weight_map.c: the file "
                + "model-00001-of-00002.safetensors holds no tensor of that name");
        index("{}");
        assertThatThrownBy(() -> SafetensorsShards.open(dir)).hasMessage(index + ": weight_map: maps no tensor");
        Files.writeString(index, "{\"weight_map\": ");
        assertThatThrownBy(() -> SafetensorsShards.open(dir)).isInstanceOf(JsonException.class)
                .hasMessageStartingWith(index + ": line 1, column 16: unexpected end of the document");
    }

    @Test
    void aFolderWithoutSafetensorsFiles() {
        assertThatThrownBy(() -> SafetensorsShards.open(dir)).isInstanceOf(Infer4jException.class)
                .hasMessage(dir + ": no .safetensors file and no model.safetensors.index.json");
    }
}
