package io.github.infer4j.reference;

import io.github.infer4j.spi.Availability;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.BackendProvider;

/**
 * Registers the scalar reference backend. Lowest priority: it is chosen only when nothing faster is on the class
 * path, or when asked for by name (to cross-check another backend's output).
 */
public final class ReferenceBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return ReferenceBackend.NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.yes("scalar Java, runs anywhere (slow; the correctness oracle)");
    }

    @Override
    public Backend create(BackendOptions options) {
        return new ReferenceBackend();
    }
}
