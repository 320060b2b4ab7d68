package io.github.infer4j.backend.cpu;

import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;

import java.util.Map;

/** The conformance kit at 256-bit vectors with three threads (more than this machine may have cores). */
class CpuVector256ThreeThreadsConformanceTest extends CpuVectorConformance {
    @Override
    protected Backend createBackend() {
        return new CpuVectorBackendProvider().create(new BackendOptions(
                Map.of(CpuVectorBackendProvider.VECTOR_BITS, "256", BackendOptions.THREADS, "3")));
    }
}
