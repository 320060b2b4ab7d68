package io.github.infer4j.examples.bench;

import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ModelSummaryTest {
    @Test
    void sizeClassRoundsLikeModelNames() {
        assertThat(ModelSummary.sizeClass(1_235_814_400L)).isEqualTo("1B");
        assertThat(ModelSummary.sizeClass(3_212_749_824L)).isEqualTo("3B");
        assertThat(ModelSummary.sizeClass(6_738_415_616L)).isEqualTo("7B");
        assertThat(ModelSummary.sizeClass(134_515_008L)).isEqualTo("135M");
        assertThat(ModelSummary.sizeClass(260_000L)).isEqualTo("260K");
    }

    @Test
    void mainTypeIgnoresTheF32NormsUnlessAllAreF32() {
        assertThat(ModelSummary.mainType(Map.of(DType.Q8_0, 113, DType.F32, 33))).isEqualTo("Q8_0");
        assertThat(ModelSummary.mainType(Map.of(DType.Q4_0, 100, DType.Q8_0, 12, DType.F32, 33))).isEqualTo("Q4_0");
        assertThat(ModelSummary.mainType(Map.of(DType.F32, 40))).isEqualTo("all F32");
    }

    @Test
    void sizesPrintAsLlamaBenchPrintsThem() {
        ModelSummary big = new ModelSummary("m.gguf", "llama 1B Q8_0", 1_318_935_744L, 1_235_814_400L, "cpu-vector", 2);
        ModelSummary small = new ModelSummary("s.gguf", "llama 135M Q8_0", 144_805_856L, 134_515_008L, "cpu-vector", 2);
        assertThat(big.size()).isEqualTo("1.23 GiB");
        assertThat(big.params()).isEqualTo("1.24 B");
        assertThat(small.size()).isEqualTo("138.10 MiB");
        assertThat(small.params()).isEqualTo("134.52 M");
    }
}
