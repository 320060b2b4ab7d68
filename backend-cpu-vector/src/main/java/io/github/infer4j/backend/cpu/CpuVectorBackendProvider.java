package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.spi.Availability;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.BackendProvider;

/**
 * The CPU backend: JDK Vector API kernels over weights used in place, run by a fixed pool of worker threads.
 * Options: {@code threads} (default: every processor), {@value #VECTOR_BITS} (128, 256 or 512; default the CPU's
 * preferred vector size, capped at 512), which forces a vector shape, e.g. to test kernels at every shape on one
 * machine (shapes wider than the hardware's are emulated by the JDK, correctly but slowly).
 */
public final class CpuVectorBackendProvider implements BackendProvider {
    /** Option key choosing the vector size in bits. */
    public static final String VECTOR_BITS = "cpu.vector.bits";

    @Override
    public String name() {
        return CpuVectorBackend.NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        return VectorSupport.availability();
    }

    @Override
    public Backend create(BackendOptions options) {
        Availability availability = availability();
        if (!availability.available()) {
            throw new Infer4jException("the " + name() + " backend cannot run here: " + availability.reason());
        }
        return new CpuVectorBackend(options);
    }
}
