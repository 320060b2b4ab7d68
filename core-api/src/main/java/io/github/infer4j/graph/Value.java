package io.github.infer4j.graph;

/**
 * An intermediate result of a {@link Graph}: a matrix with one row per token of the batch (or a single row after
 * {@link LastRow}) and {@code width} float columns. Backends decide where values live; the graph only names them.
 */
public record Value(int id, int width, boolean singleRow) {
    public Value {
        if (width <= 0) {
            throw new IllegalArgumentException("value width must be positive, got " + width);
        }
    }
}
