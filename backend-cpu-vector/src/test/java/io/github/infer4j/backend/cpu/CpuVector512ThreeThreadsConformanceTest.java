package io.github.infer4j.backend.cpu;

import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;

import java.util.Map;

/** The conformance kit at 512-bit vectors, which the JDK emulates where the hardware is narrower. */
class CpuVector512ThreeThreadsConformanceTest extends CpuVectorConformance {
    @Override
    protected Backend createBackend() {
        return new CpuVectorBackendProvider().create(new BackendOptions(
                Map.of(CpuVectorBackendProvider.VECTOR_BITS, "512", BackendOptions.THREADS, "3")));
    }
}
