package io.github.infer4j.spi;

/**
 * Entry point of a backend module, found through {@link java.util.ServiceLoader}. Creating a provider must be
 * cheap and must not fail: everything that can go wrong (missing hardware, missing native library) is reported
 * by {@link #availability()}.
 */
public interface BackendProvider {
    /** The name users put in configuration, e.g. {@code cpu-vector}. */
    String name();

    /** Higher wins when no backend is configured. */
    int priority();

    Availability availability();

    /** Creates a backend; only called when {@link #availability()} says it is available. */
    Backend create(BackendOptions options);
}
