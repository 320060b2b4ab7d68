package io.github.infer4j.internal;

import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.IntStream;

/**
 * Off-heap copies of tensors made while a model loads: re-encoded into another type, rows put in another order, or
 * both in one pass. Every copy lives until {@link #close}.
 */
public final class ConvertedTensors implements AutoCloseable {
    /** Rows converted per task: enough work to amortise a task, few enough floats to stay in cache. */
    private static final int ROWS_PER_TASK = 64;

    // Shared, so that backends can read the copies from their worker threads.
    private final Arena arena = Arena.ofShared();
    private long byteSize;

    /**
     * A copy of {@code source} in {@code type}. Row {@code r} of the copy is row {@code rowOrder[r]} of the source,
     * or row {@code r} when {@code rowOrder} is null. Converting goes through float32, which F32, F16 and BF16 hold
     * exactly, so a copy in the source's own type has the source's bits.
     */
    public Tensor convert(Tensor source, DType type, int[] rowOrder) {
        int cols = Math.toIntExact(source.cols());
        int rows = Math.toIntExact(source.rows());
        if (rowOrder != null && rowOrder.length != rows) {
            throw new IllegalArgumentException(source.name() + ": row order of " + rowOrder.length + " rows for "
                    + rows + " rows");
        }
        long sourceRowBytes = source.rowBytes();
        long rowBytes = type.bytesFor(cols);
        MemorySegment target = arena.allocate(rowBytes * rows, 64);
        byteSize += target.byteSize();
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        // Load time, not a decode loop: a parallel stream is the plainest way to use every core for big models.
        IntStream.range(0, tasks).parallel().forEach(task -> {
            float[] row = new float[cols];
            int end = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int r = task * ROWS_PER_TASK; r < end; r++) {
                int from = rowOrder == null ? r : rowOrder[r];
                source.type().format().dequantize(source.data(), from * sourceRowBytes, row, 0, cols);
                type.format().quantize(row, 0, cols, target, r * rowBytes);
            }
        });
        return new Tensor(source.name(), type, source.dims(), target);
    }

    /** Off-heap bytes held by the copies. */
    public long byteSize() {
        return byteSize;
    }

    @Override
    public void close() {
        arena.close();
    }
}
