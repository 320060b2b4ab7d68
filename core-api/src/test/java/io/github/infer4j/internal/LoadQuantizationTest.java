package io.github.infer4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LoadQuantizationTest {
    private static DType target(Map<String, String> explicit) {
        return LoadQuantization.target(new Configuration(explicit, new Properties(), Map.of(), new Properties()));
    }

    @Test
    void theOptionNamesTheTargetTypeInAnyCase() {
        assertThat(target(Map.of())).isNull();
        assertThat(target(Map.of("quantize", "none"))).isNull();
        assertThat(target(Map.of("quantize", "q8_0"))).isEqualTo(DType.Q8_0);
        assertThat(target(Map.of("quantize", "Q4_0"))).isEqualTo(DType.Q4_0);
        assertThatThrownBy(() -> target(Map.of("quantize", "Q4_K"))).isInstanceOf(Infer4jException.class)
                .hasMessage("infer4j.quantize (from code) must be none, Q8_0 or Q4_0, got 'Q4_K'");
    }

    private static Tensor tensor(DType type, long... dims) {
        byte[] bytes = new byte[(int) type.bytesFor(Tensor.elementCount(dims))];
        return new Tensor("t", type, dims, MemorySegment.ofArray(bytes));
    }

    @Test
    void onlyFloatMatricesWithWholeBlocksAreQuantized() {
        assertThat(LoadQuantization.applies(tensor(DType.BF16, 64, 3), DType.Q4_0)).isTrue();
        assertThat(LoadQuantization.applies(tensor(DType.F32, 64), DType.Q8_0)).as("a norm vector").isFalse();
        assertThat(LoadQuantization.applies(tensor(DType.F16, 48, 2), DType.Q8_0)).as("rows of 48").isFalse();
        assertThat(LoadQuantization.applies(tensor(DType.Q4_0, 64, 2), DType.Q8_0)).as("already quantized").isFalse();
        assertThat(LoadQuantization.applies(tensor(DType.F32, 64, 2), null)).isFalse();
    }
}
