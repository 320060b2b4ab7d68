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
     * output is single-row, else {@code count} rows. With {@code out} null the step only has to fill the cache (a
     * prompt's batches before its last): a plan may then skip whatever only the output depends on, but the cache
     * must end as it would with an output.
     */
    void run(int[] tokens, int[] positions, int count, KvCache cache, float[] out);

    @Override
    void close();
}
