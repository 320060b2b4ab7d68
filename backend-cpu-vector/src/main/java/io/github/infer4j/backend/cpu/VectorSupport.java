package io.github.infer4j.backend.cpu;

import io.github.infer4j.spi.Availability;

/**
 * Decides whether the Vector API can be used, without touching any of its classes until the module is known to be
 * there: the provider must load (and answer) on a JVM started without {@code --add-modules jdk.incubator.vector}.
 */
final class VectorSupport {
    static final String MODULE = "jdk.incubator.vector";
    static final int MIN_BITS = 128;

    private VectorSupport() {
    }

    static Availability availability() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return Availability.no("the JDK Vector API is not enabled: start the JVM with --add-modules " + MODULE);
        }
        int bits;
        try {
            bits = Simd.hardwareBits();
        } catch (LinkageError e) {
            return Availability.no("the JDK Vector API cannot be loaded: " + e);
        }
        if (bits < MIN_BITS) {
            return Availability.no("the CPU's preferred vector size is " + bits + " bits; " + CpuVectorBackend.NAME
                    + " needs at least " + MIN_BITS);
        }
        return Availability.yes("JDK Vector API with " + bits + "-bit vectors on "
                + Runtime.getRuntime().availableProcessors() + " processors");
    }
}
