package io.github.infer4j.conformance;

/** The whole-model checks on the scalar reference backend: the oracle itself must agree with llama.cpp. */
class ReferenceModelConformanceTest extends ModelConformanceTest {
    @Override
    protected String backendName() {
        return "reference";
    }
}
