package io.github.infer4j.spi;

import io.github.infer4j.graph.Graph;

/**
 * A compiled graph. Not thread-safe: one session runs it at a time. Each call processes {@code count} tokens at
 * consecutive {@code positions} (the cache must already hold positions {@code 0..positions[0]-1}).
 */
public interface Plan extends AutoCloseable {
    Graph graph();

    int maxBatch();

    /**
     * Runs the step and writes the graph's output rows, one after another, into {@code out}: one row when the
     * output is single-row, else {@code count} rows.
     */
    void run(int[] tokens, int[] positions, int count, KvCache cache, float[] out);

    @Override
    void close();
}
