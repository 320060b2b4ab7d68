package io.github.infer4j.backend.cpu;

import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;

import java.util.Map;

/** The conformance kit with the defaults: the hardware's vector size, one thread per processor. */
class CpuVectorConformanceTest extends CpuVectorConformance {
    @Override
    protected Backend createBackend() {
        return new CpuVectorBackendProvider().create(new BackendOptions(Map.of()));
    }
}
