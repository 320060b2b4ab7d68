package io.github.infer4j.spi;

/** Keys and values of past positions, owned by a backend and by the session that uses it. */
public interface KvCache extends AutoCloseable {
    KvCacheSpec spec();

    @Override
    void close();
}
