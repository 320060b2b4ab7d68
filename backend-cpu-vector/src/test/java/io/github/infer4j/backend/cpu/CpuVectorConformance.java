package io.github.infer4j.backend.cpu;

import io.github.infer4j.conformance.BackendConformanceTest;
import io.github.infer4j.tensor.DType;

/**
 * The conformance kit with the one deliberate approximation of cpu-vector: products with quantized weights quantize
 * their activations to 8 bits per block of 32, as llama.cpp does, so each activation is off by up to half a level
 * (1/254 of its block's largest magnitude). Over the kit's rows that moves outputs by up to 5e-3 of their
 * scale (measured for every quantized type at every vector size); a wrong element, row or head still costs several
 * times more. {@link QuantKernelsTest} checks that, given those levels, the products are exact. Embedding rows are
 * decoded exactly.
 */
abstract class CpuVectorConformance extends BackendConformanceTest {
    @Override
    protected double tolerance(DType type) {
        return type.isQuantized() ? 2e-2 : super.tolerance(type);
    }
}
