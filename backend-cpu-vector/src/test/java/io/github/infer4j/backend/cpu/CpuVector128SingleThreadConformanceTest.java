package io.github.infer4j.backend.cpu;

import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;

import java.util.Map;

/** The conformance kit at 128-bit vectors, every op on the calling thread. */
class CpuVector128SingleThreadConformanceTest extends CpuVectorConformance {
    @Override
    protected Backend createBackend() {
        return new CpuVectorBackendProvider().create(new BackendOptions(
                Map.of(CpuVectorBackendProvider.VECTOR_BITS, "128", BackendOptions.THREADS, "1")));
    }
}
