package io.github.infer4j.conformance;

import io.github.infer4j.reference.ReferenceBackend;
import io.github.infer4j.spi.Backend;

/**
 * The kit run against the oracle itself: proves that every test graph is well formed, that the expected outputs
 * can be computed, and that the error cases raise what the kit expects of every backend.
 */
class ReferenceBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
