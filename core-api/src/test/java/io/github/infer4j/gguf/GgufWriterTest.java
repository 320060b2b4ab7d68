package io.github.infer4j.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufWriterTest {
    @TempDir
    Path dir;

    @Test
    void metadataAndTensorInfosBeforeWritingAreWhatTheFileHolds() {
        GgufWriter w = new GgufWriter().putString("general.name", "x").putUInt32("n", 7).alignment(64)
                .addTensor("a", DType.F32, new long[] {3}, new float[] {1, 2, 3})
                .addTensor("b", DType.Q8_0, new long[] {32, 2}, (row, target, offset) -> target[offset] = row)
                .addTensor("c", DType.F16, new long[] {5}, new float[5]);

        GgufMetadata before = w.metadata();
        List<GgufTensorInfo> infos = w.tensorInfos();
        Path file = dir.resolve("preview.gguf");
        w.write(file);

        try (GgufFile f = GgufFile.open(file)) {
            assertThat(before.keys()).containsExactlyElementsOf(f.metadata().keys());
            for (String key : f.metadata().keys()) {
                assertThat(before.find(key)).as(key).isEqualTo(f.metadata().find(key));
            }
            assertThat(infos).containsExactlyElementsOf(f.tensorInfos());
            assertThat(infos.get(2).offset()).as("after 12 bytes and 68 bytes, each padded to 64").isEqualTo(192);
        }
    }

    @Test
    void everyValueTypeSurvivesARoundTrip() {
        GgufWriter w = new GgufWriter()
                .putString("s", "ünïcode ✓")
                .putUInt32("u32", 0xFFFF_FFFFL)
                .putInt32("i32", Integer.MIN_VALUE)
                .putUInt64("u64", -2L)
                .putFloat32("f32", Float.MIN_VALUE)
                .putBool("b", true)
                .putStringArray("as", List.of("x", "", "zz"))
                .putFloatArray("af", new float[] {1f, Float.NaN, -0f})
                .putInt32Array("ai", new int[] {-1, 0, Integer.MAX_VALUE})
                .put("u8", new GgufValue(GgufValueType.UINT8, null, 255))
                .put("i8", new GgufValue(GgufValueType.INT8, null, -128))
                .put("u16", new GgufValue(GgufValueType.UINT16, null, 65535))
                .put("i16", new GgufValue(GgufValueType.INT16, null, -32768))
                .put("i64", new GgufValue(GgufValueType.INT64, null, Long.MIN_VALUE))
                .put("f64", new GgufValue(GgufValueType.FLOAT64, null, Math.PI))
                .put("a.u8", new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT8, new int[] {0, 255}))
                .put("a.i8", new GgufValue(GgufValueType.ARRAY, GgufValueType.INT8, new int[] {-128, 127}))
                .put("a.u16", new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT16, new int[] {65535}))
                .put("a.i16", new GgufValue(GgufValueType.ARRAY, GgufValueType.INT16, new int[] {-32768}))
                .put("a.u32", new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT32, new long[] {0xFFFF_FFFFL}))
                .put("a.i64", new GgufValue(GgufValueType.ARRAY, GgufValueType.INT64, new long[] {Long.MIN_VALUE}))
                .put("a.u64", new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT64, new long[] {-1L}))
                .put("a.f64", new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT64, new double[] {-0.0, 1e300}))
                .put("a.bool", new GgufValue(GgufValueType.ARRAY, GgufValueType.BOOL, new boolean[] {false, true}))
                .put("a.empty", new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, new float[0]));
        Path file = dir.resolve("values.gguf");
        w.write(file);
        try (GgufFile f = GgufFile.open(file)) {
            GgufMetadata m = f.metadata();
            assertThat(f.version()).isEqualTo(3);
            assertThat(m.keys()).containsExactly("s", "u32", "i32", "u64", "f32", "b", "as", "af", "ai", "u8", "i8",
                    "u16", "i16", "i64", "f64", "a.u8", "a.i8", "a.u16", "a.i16", "a.u32", "a.i64", "a.u64", "a.f64",
                    "a.bool", "a.empty");
            assertThat(m.getString("s")).isEqualTo("ünïcode ✓");
            assertThat(m.getLong("u32")).isEqualTo(0xFFFF_FFFFL);
            assertThat(m.getInt("i32")).isEqualTo(Integer.MIN_VALUE);
            assertThat(m.find("u64").orElseThrow()).isEqualTo(new GgufValue(GgufValueType.UINT64, null, -2L));
            assertThat(m.getFloat("f32")).isEqualTo(Float.MIN_VALUE);
            assertThat(m.getBoolean("b", false)).isTrue();
            assertThat(m.getStringList("as")).containsExactly("x", "", "zz");
            float[] af = m.getFloatArray("af");
            assertThat(af[0]).isEqualTo(1f);
            assertThat(af[1]).isNaN();
            assertThat(Float.floatToRawIntBits(af[2])).isEqualTo(Float.floatToRawIntBits(-0f));
            assertThat(m.getIntArray("ai")).containsExactly(-1, 0, Integer.MAX_VALUE);
            for (String key : List.of("u8", "i8", "u16", "i16", "i64", "f64", "a.u8", "a.i8", "a.u16", "a.i16",
                    "a.u32", "a.i64", "a.u64", "a.f64", "a.bool", "a.empty")) {
                // Built again here, not taken from the writer, so that a writer that loses a value cannot pass.
                assertThat(m.find(key)).as(key).contains(expectedValue(key));
            }
        }
    }

    private static GgufValue expectedValue(String key) {
        return switch (key) {
            case "u8" -> new GgufValue(GgufValueType.UINT8, null, 255);
            case "i8" -> new GgufValue(GgufValueType.INT8, null, -128);
            case "u16" -> new GgufValue(GgufValueType.UINT16, null, 65535);
            case "i16" -> new GgufValue(GgufValueType.INT16, null, -32768);
            case "i64" -> new GgufValue(GgufValueType.INT64, null, Long.MIN_VALUE);
            case "f64" -> new GgufValue(GgufValueType.FLOAT64, null, Math.PI);
            case "a.u8" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT8, new int[] {0, 255});
            case "a.i8" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.INT8, new int[] {-128, 127});
            case "a.u16" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT16, new int[] {65535});
            case "a.i16" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.INT16, new int[] {-32768});
            case "a.u32" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT32, new long[] {0xFFFF_FFFFL});
            case "a.i64" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.INT64, new long[] {Long.MIN_VALUE});
            case "a.u64" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT64, new long[] {-1L});
            case "a.f64" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT64, new double[] {-0.0, 1e300});
            case "a.bool" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.BOOL, new boolean[] {false, true});
            case "a.empty" -> new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, new float[0]);
            default -> throw new IllegalArgumentException(key);
        };
    }

    @Test
    void everyDTypeSurvivesARoundTripFromFloatsAndFromRawBytes() {
        Random random = new Random(3);
        long[] dims = {256, 3}; // K-quant rows hold whole 256-element super-blocks
        float[] values = new float[256 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        GgufWriter w = new GgufWriter();
        try (Arena arena = Arena.ofConfined()) {
            for (DType type : DType.values()) {
                MemorySegment expected = arena.allocate(type.bytesFor(values.length));
                type.format().quantize(values, 0, values.length, expected, 0);
                w.addTensor("floats." + type, type, dims, values);
                w.addTensor("raw." + type, type, dims, expected);
            }
            Path file = dir.resolve("tensors.gguf");
            w.write(file);
            try (GgufFile f = GgufFile.open(file)) {
                assertThat(f.tensorInfos()).hasSize(2 * DType.values().length);
                for (DType type : DType.values()) {
                    MemorySegment expected = arena.allocate(type.bytesFor(values.length));
                    type.format().quantize(values, 0, values.length, expected, 0);
                    for (String prefix : List.of("floats.", "raw.")) {
                        Tensor t = f.tensor(prefix + type);
                        assertThat(t.type()).isEqualTo(type);
                        assertThat(t.dims()).containsExactly(dims);
                        assertThat(t.data().mismatch(expected)).as(t.name()).isEqualTo(-1L);
                    }
                }
            }
        }
    }

    @Test
    void rowsLargerThanTheChunkAreQuantizedWhole() {
        // 1.25 MiB per F32 row, more than the writer's 1 MiB chunk.
        int cols = 5 * 65536;
        float[] values = new float[cols * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 977;
        }
        Path file = dir.resolve("wide.gguf");
        new GgufWriter().addTensor("wide", DType.F32, new long[] {cols, 2}, values).write(file);
        try (GgufFile f = GgufFile.open(file)) {
            float[] back = new float[values.length];
            DType.F32.format().dequantize(f.tensor("wide").data(), 0, back, 0, back.length);
            assertThat(back).isEqualTo(values);
        }
    }

    @Test
    void rowSourcesAreAskedForEachRowInOrderAndMatchTheSameFloats() {
        // 5000 rows of 64: more than one conversion step of the writer.
        int cols = 64;
        int rows = 5000;
        float[] values = new float[cols * rows];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 1013) / 1013f - 0.5f;
        }
        long[] dims = {cols, rows};
        List<Long> asked = new ArrayList<>();
        GgufWriter w = new GgufWriter();
        for (DType type : List.of(DType.F32, DType.Q8_0, DType.Q4_0)) {
            w.addTensor("floats." + type, type, dims, values);
            w.addTensor("rows." + type, type, dims, (row, target, offset) -> {
                if (type == DType.F32) {
                    asked.add(row);
                }
                System.arraycopy(values, (int) row * cols, target, offset, cols);
            });
        }
        Path file = dir.resolve("rows.gguf");
        w.write(file);
        assertThat(asked).hasSize(rows);
        for (int i = 0; i < rows; i++) {
            assertThat(asked.get(i)).isEqualTo(i);
        }
        try (GgufFile f = GgufFile.open(file)) {
            for (DType type : List.of(DType.F32, DType.Q8_0, DType.Q4_0)) {
                Tensor fromRows = f.tensor("rows." + type);
                assertThat(fromRows.type()).isEqualTo(type);
                assertThat(fromRows.data().mismatch(f.tensor("floats." + type).data())).as(type.name()).isEqualTo(-1L);
            }
        }
    }

    @Test
    void alignmentIsHonoured() {
        float[] three = {1, 2, 3};
        Path defaultAligned = dir.resolve("default.gguf");
        new GgufWriter().addTensor("a", DType.F32, new long[] {3}, three)
                .addTensor("b", DType.F32, new long[] {3}, three).write(defaultAligned);
        try (GgufFile f = GgufFile.open(defaultAligned)) {
            assertThat(f.alignment()).isEqualTo(32);
            assertThat(f.metadata().contains("general.alignment")).isFalse();
            assertThat(f.tensorInfos().get(1).offset()).isEqualTo(32);
        }
        Path wide = dir.resolve("wide.gguf");
        new GgufWriter().putString("general.architecture", "llama").alignment(256)
                .addTensor("a", DType.F32, new long[] {3}, three)
                .addTensor("b", DType.F32, new long[] {3}, three).write(wide);
        try (GgufFile f = GgufFile.open(wide)) {
            assertThat(f.alignment()).isEqualTo(256);
            assertThat(f.metadata().getInt("general.alignment")).isEqualTo(256);
            assertThat(f.dataOffset() % 256).isZero();
            assertThat(f.tensorInfos().get(1).offset()).isEqualTo(256);
            assertThat(f.tensor("b").data().address() % 256).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "stories260K-Q4_0.gguf"})
    void rewritingStories260KReadsBackIdentically(String name) throws IOException {
        Path original = GgufRealFilesTest.model(name);
        Path copy = dir.resolve("copy.gguf");
        try (GgufFile source = GgufFile.open(original)) {
            GgufWriter w = new GgufWriter();
            for (String key : source.metadata().keys()) {
                w.put(key, source.metadata().find(key).orElseThrow());
            }
            for (GgufTensorInfo info : source.tensorInfos()) {
                w.addTensor(info.name(), info.type(), info.dims(), source.tensor(info.name()).data());
            }
            w.write(copy);
            try (GgufFile back = GgufFile.open(copy)) {
                assertThat(back.metadata().keys()).containsExactlyElementsOf(source.metadata().keys());
                for (String key : source.metadata().keys()) {
                    assertThat(back.metadata().find(key)).as(key).isEqualTo(source.metadata().find(key));
                }
                assertThat(back.tensorInfos()).isEqualTo(source.tensorInfos());
                for (GgufTensorInfo info : source.tensorInfos()) {
                    assertThat(back.tensor(info.name()).data().mismatch(source.tensor(info.name()).data()))
                            .as(info.name()).isEqualTo(-1L);
                }
            }
        }
        // The layout is llama.cpp's own: the copy is byte-identical to what llama-quantize wrote.
        assertThat(Files.mismatch(original, copy)).isEqualTo(-1L);
    }

    @Test
    void invalidTensorsAreRejectedWhenAdded() {
        GgufWriter w = new GgufWriter().addTensor("a", DType.F32, new long[] {2}, new float[2]);
        assertThatThrownBy(() -> w.addTensor("a", DType.F32, new long[] {2}, new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> w.addTensor("b", DType.F32, new long[] {3}, new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 elements");
        assertThatThrownBy(() -> w.addTensor("b", DType.Q8_0, new long[] {16}, new float[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block size 32");
        assertThatThrownBy(() -> w.addTensor("b", DType.F32, new long[] {2, 0}, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> w.addTensor("b", DType.F32, new long[] {1, 1, 1, 1, 1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimensions");
        assertThatThrownBy(() -> w.addTensor("x".repeat(64), DType.F32, new long[] {1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("63");
        assertThatThrownBy(() -> w.addTensor("b", DType.F16, new long[] {4}, MemorySegment.ofArray(new byte[6])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 8 bytes");
        assertThatThrownBy(() -> w.addTensor("b", DType.Q4_0, new long[] {48, 2}, (row, target, offset) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block size 32");
        assertThatThrownBy(() -> w.addTensor("b", DType.F32, new long[] {1L << 31}, (row, target, offset) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit");
        assertThatThrownBy(() -> w.alignment(48)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.putInt32("general.alignment", 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.putUInt32("k", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unwritablePathIsAClearError() {
        Path target = dir.resolve("missing-folder").resolve("x.gguf");
        assertThatThrownBy(() -> new GgufWriter().write(target))
                .isInstanceOf(Infer4jException.class).hasMessageContaining(target.toString());
    }
}
