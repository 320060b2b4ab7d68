package io.github.infer4j.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    @TempDir
    Path dir;

    private Path smallFile() throws IOException {
        Path file = dir.resolve("small.gguf");
        Files.write(file, SmallGguf.build().toArray());
        return file;
    }

    @Test
    void readsHeaderAndTensorTable() throws IOException {
        GgufBytes b = SmallGguf.build();
        Path file = smallFile();
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.path()).isEqualTo(file);
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.alignment()).isEqualTo(64);
            assertThat(f.dataOffset()).isEqualTo(b.at("data")).isEqualTo(384);
            assertThat(f.tensorInfos()).containsExactly(
                    new GgufTensorInfo("a", DType.F32, new long[] {4, 2}, 0),
                    new GgufTensorInfo("b", DType.Q8_0, new long[] {32}, 64));
            assertThat(f.tensorInfos().get(1).byteSize()).isEqualTo(34);
            assertThat(f.hasTensor("a")).isTrue();
            assertThat(f.hasTensor("c")).isFalse();
            assertThat(f.metadata().keys()).containsExactly("general.architecture", "general.alignment",
                    "test.flag1", "test.tokens", "test.ids", "test.flag2");
        }
    }

    @Test
    void tensorsAreReadOnlyViewsOfTheMapping() throws IOException {
        try (GgufFile f = GgufFile.open(smallFile())) {
            Tensor a = f.tensor("a");
            assertThat(a.type()).isEqualTo(DType.F32);
            assertThat(a.dims()).containsExactly(4, 2);
            assertThat(a.data().isMapped()).isTrue();
            assertThat(a.data().isReadOnly()).isTrue();
            float[] values = new float[8];
            DType.F32.format().dequantize(a.data(), 0, values, 0, 8);
            assertThat(values).containsExactly(SmallGguf.A_VALUES);

            float[] b = new float[32];
            DType.Q8_0.format().dequantize(f.tensor("b").data(), 0, b, 0, 32);
            assertThat(b[0]).isEqualTo(-8f);
            assertThat(b[31]).isEqualTo(7.5f);
        }
    }

    @Test
    void unknownTensorNameIsAnErrorNamingFileAndTensor() throws IOException {
        Path file = smallFile();
        try (GgufFile f = GgufFile.open(file)) {
            assertThatThrownBy(() -> f.tensor("blk.0.attn_q.weight"))
                    .isInstanceOf(Infer4jException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("blk.0.attn_q.weight");
        }
    }

    @Test
    void closeIsIdempotentAndInvalidatesViews() throws IOException {
        GgufFile f = GgufFile.open(smallFile());
        Tensor a = f.tensor("a");
        f.close();
        f.close();
        assertThatThrownBy(() -> a.data().get(ValueLayout.JAVA_FLOAT, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.tensor("a")).isInstanceOf(Infer4jException.class).hasMessageContaining("closed");
    }

    @Test
    void missingFileIsAClearError() {
        Path missing = dir.resolve("nope.gguf");
        assertThatThrownBy(() -> GgufFile.open(missing))
                .isInstanceOf(Infer4jException.class)
                .isNotInstanceOf(GgufFormatException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void directoryIsAClearError() {
        assertThatThrownBy(() -> GgufFile.open(dir))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining(dir.toString());
    }

    @Test
    void everyValueTypeIsReadWithItsJavaType() throws IOException {
        GgufBytes b = new GgufBytes();
        b.u32(GgufParser.MAGIC).u32(2).u64(0).u64(20);
        b.str("u8").u32(0).u8(200);
        b.str("i8").u32(1).u8(-100);
        b.str("u16").u32(2).u16(60000);
        b.str("i16").u32(3).u16(-30000);
        b.str("u32").u32(4).u32(4_000_000_000L);
        b.str("i32").u32(5).u32(-7);
        b.str("f32").u32(6).f32(1.5f);
        b.str("bool").u32(7).u8(0);
        b.str("str").u32(8).str("héllo");
        b.str("u64").u32(10).u64(-1);
        b.str("i64").u32(11).u64(-5_000_000_000L);
        b.str("f64").u32(12).f64(0.1);
        b.str("a.u8").u32(9).u32(0).u64(2).u8(255).u8(1);
        b.str("a.i16").u32(9).u32(3).u64(2).u16(-2).u16(3);
        b.str("a.u32").u32(9).u32(4).u64(1).u32(0xFFFF_FFFFL);
        b.str("a.u64").u32(9).u32(10).u64(1).u64(1L << 40);
        b.str("a.f32").u32(9).u32(6).u64(2).f32(0.25f).f32(-1f);
        b.str("a.f64").u32(9).u32(12).u64(1).f64(2.5);
        b.str("a.bool").u32(9).u32(7).u64(3).u8(1).u8(0).u8(1);
        b.str("a.str").u32(9).u32(8).u64(0);
        Path file = dir.resolve("values.gguf");
        Files.write(file, b.toArray());
        try (GgufFile f = GgufFile.open(file)) {
            GgufMetadata m = f.metadata();
            assertThat(f.version()).isEqualTo(2);
            assertThat(f.tensorInfos()).isEmpty();
            assertThat(m.find("u8").orElseThrow()).isEqualTo(new GgufValue(GgufValueType.UINT8, null, 200));
            assertThat(m.find("i8").orElseThrow().value()).isEqualTo(-100);
            assertThat(m.find("u16").orElseThrow().value()).isEqualTo(60000);
            assertThat(m.find("i16").orElseThrow().value()).isEqualTo(-30000);
            assertThat(m.find("u32").orElseThrow().value()).isEqualTo(4_000_000_000L);
            assertThat(m.find("i32").orElseThrow().value()).isEqualTo(-7);
            assertThat(m.find("f32").orElseThrow().value()).isEqualTo(1.5f);
            assertThat(m.find("bool").orElseThrow().value()).isEqualTo(false);
            assertThat(m.find("str").orElseThrow().value()).isEqualTo("héllo");
            assertThat(m.find("u64").orElseThrow().value()).isEqualTo(-1L);
            assertThat(m.find("i64").orElseThrow().value()).isEqualTo(-5_000_000_000L);
            assertThat(m.find("f64").orElseThrow().value()).isEqualTo(0.1);
            assertThat((int[]) m.find("a.u8").orElseThrow().value()).containsExactly(255, 1);
            assertThat((int[]) m.find("a.i16").orElseThrow().value()).containsExactly(-2, 3);
            assertThat((long[]) m.find("a.u32").orElseThrow().value()).containsExactly(0xFFFF_FFFFL);
            assertThat((long[]) m.find("a.u64").orElseThrow().value()).containsExactly(1L << 40);
            assertThat((float[]) m.find("a.f32").orElseThrow().value()).containsExactly(0.25f, -1f);
            assertThat((double[]) m.find("a.f64").orElseThrow().value()).containsExactly(2.5);
            assertThat((boolean[]) m.find("a.bool").orElseThrow().value()).containsExactly(true, false, true);
            assertThat(m.find("a.str").orElseThrow()).isEqualTo(new GgufValue(GgufValueType.ARRAY,
                    GgufValueType.STRING, List.of()));
            assertThat(m.find("a.u64").orElseThrow().elementType()).isEqualTo(GgufValueType.UINT64);

            // Typed getters convert between compatible types.
            assertThat(m.getInt("u16")).isEqualTo(60000);
            assertThat(m.getLong("u32")).isEqualTo(4_000_000_000L);
            assertThat(m.getFloat("f64")).isEqualTo(0.1f);
            assertThat(m.getFloat("i32")).isEqualTo(-7f);
            assertThat(m.getFloat("u64")).isEqualTo(1.8446744e19f);
            assertThat(m.getIntArray("a.u8")).containsExactly(255, 1);
            assertThat(m.getFloatArray("a.f64")).containsExactly(2.5f);
            assertThat(m.getString("str")).isEqualTo("héllo");
            assertThat(m.getBoolean("bool", true)).isFalse();
            assertThat(m.getStringList("a.str")).isEmpty();
        }
    }

    @Test
    void gettersReportMissingKeysAndWrongTypesWithFileKeyAndType() throws IOException {
        Path file = smallFile();
        try (GgufFile f = GgufFile.open(file)) {
            GgufMetadata m = f.metadata();
            assertThat(m.getString("general.architecture")).isEqualTo("llama");
            assertThat(m.getInt("general.alignment")).isEqualTo(64);
            assertThat(m.getBoolean("test.flag1", false)).isTrue();
            assertThat(m.getStringList("test.tokens")).containsExactly("a", "bb", "ccc");
            assertThat(m.getFloat("test.flag2")).isEqualTo(1e-5f);
            assertThat(m.getString("general.name", "dflt")).isEqualTo("dflt");
            assertThat(m.getInt("llama.block_count", 7)).isEqualTo(7);
            assertThat(m.getLong("x", 9L)).isEqualTo(9L);
            assertThat(m.getFloat("x", 2f)).isEqualTo(2f);
            assertThat(m.contains("test.ids")).isTrue();

            assertThatThrownBy(() -> m.getInt("llama.block_count"))
                    .isInstanceOf(GgufFormatException.class)
                    .hasMessage(file + ": llama.block_count: missing key, expected integer");
            assertThatThrownBy(() -> m.getInt("general.architecture"))
                    .isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("general.architecture at byte 24")
                    .hasMessageContaining("integer")
                    .hasMessageContaining("string");
            assertThatThrownBy(() -> m.getInt("general.architecture", 3))
                    .as("a default only covers absence").isInstanceOf(GgufFormatException.class);
            assertThatThrownBy(() -> m.getString("test.flag1")).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("expected string, found bool");
            assertThatThrownBy(() -> m.getIntArray("test.ids")).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("element 3").hasMessageContaining("4294967295");
            assertThatThrownBy(() -> m.getFloatArray("test.tokens")).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("array of float32").hasMessageContaining("array of string");
            assertThatThrownBy(() -> m.getStringList("test.ids")).isInstanceOf(GgufFormatException.class);
        }
    }

    @Test
    void valuesRejectJavaTypesThatDoNotMatch() {
        assertThatThrownBy(() -> new GgufValue(GgufValueType.UINT8, null, 256))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GgufValue(GgufValueType.UINT32, null, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GgufValue(GgufValueType.ARRAY, GgufValueType.ARRAY, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT16, new int[] {70000}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, new double[1]))
                .isInstanceOf(IllegalArgumentException.class);
        float[] source = {1f};
        GgufValue v = new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, source);
        source[0] = 2f;
        ((float[]) v.value())[0] = 3f;
        assertThat((float[]) v.value()).as("copied in and out").containsExactly(1f);
        GgufValue big = new GgufValue(GgufValueType.ARRAY, GgufValueType.INT32, new int[100_000]);
        assertThat(big.toString()).hasSizeLessThan(120).endsWith("(100000 elements)").startsWith("array of int32 [0, 0");
        assertThat(new GgufValue(GgufValueType.UINT32, null, 7L)).hasToString("uint32 7");
    }

    @Test
    void valueTypeIdsMatchTheSpec() {
        for (GgufValueType t : GgufValueType.values()) {
            assertThat(GgufValueType.fromId(t.id())).isSameAs(t);
        }
        assertThat(GgufValueType.STRING.id()).isEqualTo(8);
        assertThat(GgufValueType.FLOAT64.id()).isEqualTo(12);
        assertThat(GgufValueType.fromId(13)).isNull();
        assertThat(GgufValueType.fromId(-1)).isNull();
    }
}
