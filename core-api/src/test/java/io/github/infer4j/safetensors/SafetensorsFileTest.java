package io.github.infer4j.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import io.github.infer4j.testkit.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    private static float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2) * 0.375f;
        }
        return v;
    }

    private static float[] read(Tensor t) {
        float[] out = new float[Math.toIntExact(t.elementCount())];
        t.type().format().dequantize(t.data(), 0, out, 0, out.length);
        return out;
    }

    @Test
    void viewsHoldTheValuesWithTheShapeReversedIntoGgmlOrder() {
        Path file = new SafetensorsWriter()
                .metadata("format", "pt")
                .add("a.f32", DType.F32, new long[] {3, 4}, values(12))
                .add("b.f16", DType.F16, new long[] {2, 3, 4}, values(24))
                .add("c.bf16", DType.BF16, new long[] {5}, values(5))
                .write(dir.resolve("m.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.metadata()).containsExactly(java.util.Map.entry("format", "pt"));
            assertThat(f.names()).containsExactly("a.f32", "b.f16", "c.bf16");
            Tensor a = f.tensor("a.f32");
            assertThat(a.type()).isEqualTo(DType.F32);
            assertThat(a.dims()).containsExactly(4, 3);
            assertThat(a.rows()).isEqualTo(3);
            assertThat(read(a)).containsExactly(values(12));
            assertThat(a.data().isMapped()).as("a view of the mapping, not a copy").isTrue();
            Tensor b = f.tensor("b.f16");
            assertThat(b.dims()).containsExactly(4, 3, 2);
            // The values are multiples of 1/8 below 5, so F16 and BF16 hold them exactly.
            assertThat(read(b)).containsExactly(values(24));
            assertThat(f.tensor("c.bf16").type()).isEqualTo(DType.BF16);
            assertThat(read(f.tensor("c.bf16"))).containsExactly(values(5));
            assertThat(f.info("b.f16"))
                    .isEqualTo(new SafetensorsTensorInfo("b.f16", "F16", new long[] {2, 3, 4}, 48, 96));
            assertThat(f.byteSize()).isEqualTo(file.toFile().length());
        }
    }

    @Test
    void otherDtypesAreListedButCannotBeUsedAsWeights() {
        Path file = new SafetensorsWriter()
                .addRaw("position_ids", "I64", new long[] {1, 2}, new byte[16])
                .addRaw("mask", "BOOL", new long[] {}, new byte[1])
                .write(dir.resolve("m.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.info("position_ids").dtype()).isEqualTo("I64");
            assertThat(f.info("mask").ggmlDims()).containsExactly(1);
            assertThatThrownBy(() -> f.tensor("position_ids")).isInstanceOf(SafetensorsFormatException.class)
                    .hasMessage(file + ": tensor 'position_ids' dtype: I64 cannot be used as weights; Infer4j reads"
                            + " F32, F16 and BF16");
        }
    }

    @Test
    void unknownNamesAndClosedFilesAreClearErrors() {
        Path file = new SafetensorsWriter().add("w", DType.F32, new long[] {2}, values(2))
                .write(dir.resolve("m.safetensors"));
        SafetensorsFile f = SafetensorsFile.open(file);
        assertThatThrownBy(() -> f.tensor("v")).isInstanceOf(Infer4jException.class)
                .hasMessage(file + ": no tensor named 'v' (the file has 1 tensors)");
        Tensor view = f.tensor("w");
        f.close();
        f.close();
        assertThatThrownBy(() -> f.tensor("w")).hasMessageContaining("the file is closed");
        assertThatThrownBy(() -> read(view)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMissingFileIsAnInfer4jException() {
        assertThatThrownBy(() -> SafetensorsFile.open(dir.resolve("none.safetensors")))
                .isInstanceOf(Infer4jException.class)
                .hasMessage("cannot read safetensors file " + dir.resolve("none.safetensors") + ": no such file");
    }

    @Test
    void anEmptyHeaderObjectIsAFileWithoutTensors() throws Exception {
        Path file = Files.write(dir.resolve("empty.safetensors"), SafetensorsWriter.fileBytes("{}      ", new byte[0]));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).isEmpty();
            assertThat(f.metadata()).isEmpty();
        }
    }
}
