package io.github.infer4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvertedTensorsTest {
    private static float[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static Tensor encoded(DType type, float[] values, int cols) {
        MemorySegment data = MemorySegment.ofArray(new byte[(int) type.bytesFor(values.length)]);
        type.format().quantize(values, 0, values.length, data, 0);
        return new Tensor("w", type, new long[] {cols, values.length / cols}, data);
    }

    private static byte[] bytes(Tensor t) {
        return t.data().toArray(ValueLayout.JAVA_BYTE);
    }

    /** 200 rows: more than one parallel task of 64 rows, and a last task that is not full. */
    @Test
    void quantizingGivesTheReferenceFormatsBytes() {
        float[] values = random(64 * 200, 1);
        try (ConvertedTensors copies = new ConvertedTensors()) {
            for (DType source : new DType[] {DType.F32, DType.F16, DType.BF16}) {
                Tensor stored = encoded(source, values, 64);
                float[] decoded = new float[values.length];
                source.format().dequantize(stored.data(), 0, decoded, 0, decoded.length);
                Tensor q = copies.convert(stored, DType.Q8_0, null);
                assertThat(q.type()).isEqualTo(DType.Q8_0);
                assertThat(q.dims()).containsExactly(64, 200);
                assertThat(bytes(q)).as("from " + source).isEqualTo(bytes(encoded(DType.Q8_0, decoded, 64)));
            }
            assertThat(copies.byteSize()).isEqualTo(3 * DType.Q8_0.bytesFor(values.length));
        }
    }

    @Test
    void reorderingRowsKeepsEachRowsBits() {
        float[] values = random(8 * 130, 2);
        Tensor stored = encoded(DType.BF16, values, 8);
        int[] reversed = new int[130];
        for (int r = 0; r < reversed.length; r++) {
            reversed[r] = reversed.length - 1 - r;
        }
        ConvertedTensors copies = new ConvertedTensors();
        Tensor copy = copies.convert(stored, DType.BF16, reversed);
        long rowBytes = stored.rowBytes();
        for (int r = 0; r < reversed.length; r++) {
            assertThat(copy.data().asSlice(r * rowBytes, rowBytes).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(stored.data().asSlice(reversed[r] * rowBytes, rowBytes).toArray(ValueLayout.JAVA_BYTE));
        }
        assertThatThrownBy(() -> copies.convert(stored, DType.BF16, new int[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("w: row order of 3 rows for 130 rows");
        copies.close();
        assertThatThrownBy(() -> bytes(copy)).isInstanceOf(IllegalStateException.class);
    }
}
