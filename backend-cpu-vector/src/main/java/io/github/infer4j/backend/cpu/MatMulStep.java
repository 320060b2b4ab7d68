package io.github.infer4j.backend.cpu;

import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@code out[r][o] = dot(weight row o, in[r])} for F32, F16 and BF16 weights. Weight rows are split among the
 * workers. A single row reads the weights in place; a batch decodes each weight row once into the worker's buffer
 * and runs it through the batch's rows four at a time, so a weight row is fetched from memory and decoded once per
 * call.
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
    private final float[][] decoded;
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
        this.decoded = new float[pool.size()][singleRow ? 0 : inWidth];
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
        if (rows == 1) {
            for (int o = first; o < end; o++) {
                out[o] = WeightKernels.dot(simd, type, weight, o * rowBytes, in, 0, inWidth);
            }
            return;
        }
        float[] w = decoded[worker];
        for (int o = first; o < end; o++) {
            WeightKernels.decode(simd, type, weight, o * rowBytes, w, 0, inWidth);
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                WeightKernels.dot4(simd, w, in, r * inWidth, inWidth, out, r * outWidth + o, outWidth, inWidth);
            }
            for (; r < rows; r++) {
                out[r * outWidth + o] = WeightKernels.dot(simd, w, in, r * inWidth, inWidth);
            }
        }
    }
}
