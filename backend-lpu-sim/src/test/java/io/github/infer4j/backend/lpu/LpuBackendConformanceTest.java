package io.github.infer4j.backend.lpu;

import io.github.infer4j.conformance.BackendConformanceTest;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Nested;

import java.util.Map;

/**
 * The conformance kit on one simulated chip and on a tensor-parallel pair. The chip computes in lower precision on
 * purpose (docs/LPU.md, "Numerics"), so the tolerances are wider than the kit's float ones.
 */
class LpuBackendConformanceTest {
    /**
     * Float weights become fp16 and activations are rounded to fp16 between ops: a few fp16 roundings (half a unit
     * in the last place is 4.9e-4) stay below 1e-3 of the output's scale (measured: 4.5e-4 at most), 2e-3 leaves
     * room. Block-quantized types become int8 with a scale per row and activations are quantized to int8 per row:
     * one int8 step is 1/127 (0.8%) of a row's largest value, so errors reach about 1.3e-2 (measured, a whole
     * block); 2.5e-2.
     */
    static double chipTolerance(DType type) {
        return type.isQuantized() ? 2.5e-2 : 2e-3;
    }

    @Nested
    class OneChip extends BackendConformanceTest {
        @Override
        protected Backend createBackend() {
            return new LpuBackendProvider().create(new BackendOptions(Map.of()));
        }

        @Override
        protected double tolerance(DType type) {
            return chipTolerance(type);
        }

        /** The chip lowers the Llama op set only; UnsupportedArchitectureTest shows the rest is refused clearly. */
        @Override
        protected boolean supports(Feature feature) {
            return false;
        }
    }

    @Nested
    class TwoChips extends BackendConformanceTest {
        @Override
        protected Backend createBackend() {
            return new LpuBackendProvider().create(new BackendOptions(Map.of(LpuBackendProvider.CHIPS, "2")));
        }

        @Override
        protected double tolerance(DType type) {
            return chipTolerance(type);
        }

        /** The chip lowers the Llama op set only; UnsupportedArchitectureTest shows the rest is refused clearly. */
        @Override
        protected boolean supports(Feature feature) {
            return false;
        }
    }
}
