package io.github.infer4j.backend.cpu;

import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@code out[r][o] = dot(weight row o, in[r])}. Weight rows are split among the workers; each worker runs all rows
 * of the batch against one weight row before the next, so a weight row is fetched from memory once per call.
 */
final class MatMulStep implements Step, ParallelTask {
    /** Enough chunks per thread to even out threads that start late or run slower. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final Simd simd;
    private final WorkerPool pool;
    private final DType type;
    private final MemorySegment weight;
    private final long rowBytes;
    private final float[] in;
    private final float[] out;
    private final int inWidth;
    private final int outWidth;
    private final boolean singleRow;
    private final int chunks;
    private int rows;

    MatMulStep(Simd simd, WorkerPool pool, Tensor weight, float[] in, float[] out, int inWidth, int outWidth,
               boolean singleRow) {
        this.simd = simd;
        this.pool = pool;
        this.type = weight.type();
        this.weight = weight.data();
        this.rowBytes = weight.rowBytes();
        this.in = in;
        this.out = out;
        this.inWidth = inWidth;
        this.outWidth = outWidth;
        this.singleRow = singleRow;
        this.chunks = Math.min(outWidth, pool.size() * CHUNKS_PER_THREAD);
    }

    @Override
    public void execute(Batch batch) {
        rows = singleRow ? 1 : batch.count;
        pool.run(this, chunks);
    }

    @Override
    public void run(int worker, int chunk) {
        int first = (int) ((long) chunk * outWidth / chunks);
        int end = (int) ((long) (chunk + 1) * outWidth / chunks);
        for (int o = first; o < end; o++) {
            long offset = o * rowBytes;
            for (int r = 0; r < rows; r++) {
                out[r * outWidth + o] = WeightKernels.dot(simd, type, weight, offset, in, r * inWidth, inWidth);
            }
        }
    }
}
