package io.github.infer4j.spi;

/** Weights as a backend holds them; released with {@link #close()} or when the backend closes. */
public interface LoadedWeights extends AutoCloseable {
    @Override
    void close();
}
