package io.github.infer4j.backend.cpu;

import io.github.infer4j.conformance.ModelConformanceTest;

/** The whole-model checks (stories260K against llama2.c and llama.cpp) on cpu-vector. */
class CpuVectorModelConformanceTest extends ModelConformanceTest {
    @Override
    protected String backendName() {
        return "cpu-vector";
    }
}
