package io.github.infer4j.backend.cpu;

import io.github.infer4j.conformance.BackendConformanceTest;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import org.junit.jupiter.api.Nested;

import java.util.Map;

/**
 * The conformance kit at every vector shape (wider than the hardware's ones are emulated by the JDK, so they test
 * the kernels' lane arithmetic everywhere) and with one and several threads.
 */
class CpuVectorConformanceTest {
    private static Backend create(Map<String, String> options) {
        return new CpuVectorBackendProvider().create(new BackendOptions(options));
    }

    @Nested
    class PreferredShape extends BackendConformanceTest {
        @Override
        protected Backend createBackend() {
            return create(Map.of());
        }
    }

    @Nested
    class Bits128SingleThread extends BackendConformanceTest {
        @Override
        protected Backend createBackend() {
            return create(Map.of(CpuVectorBackendProvider.VECTOR_BITS, "128", BackendOptions.THREADS, "1"));
        }
    }

    @Nested
    class Bits256ThreeThreads extends BackendConformanceTest {
        @Override
        protected Backend createBackend() {
            return create(Map.of(CpuVectorBackendProvider.VECTOR_BITS, "256", BackendOptions.THREADS, "3"));
        }
    }

    @Nested
    class Bits512ThreeThreads extends BackendConformanceTest {
        @Override
        protected Backend createBackend() {
            return create(Map.of(CpuVectorBackendProvider.VECTOR_BITS, "512", BackendOptions.THREADS, "3"));
        }
    }
}
