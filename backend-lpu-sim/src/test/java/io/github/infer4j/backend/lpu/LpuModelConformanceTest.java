package io.github.infer4j.backend.lpu;

import io.github.infer4j.conformance.ModelConformanceTest;

/**
 * The whole-model checks on lpu-sim: greedy tokens must equal the reference exactly, logits may differ by what fp16
 * activations cost: stories260K's logits reach about 10 in magnitude and the largest difference measured is 0.011
 * (after the prompt), so 0.025 instead of the F32 kit's 1e-3.
 */
class LpuModelConformanceTest extends ModelConformanceTest {
    @Override
    protected String backendName() {
        return "lpu-sim";
    }

    @Override
    protected float logitTolerance() {
        return 0.025f;
    }
}
