package io.github.infer4j.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * {@code out_m[r][o] = dot(weight_m row o, in[r])} for one or more {@link PackedMatrix} products that read the same
 * input, e.g. a layer's query, key and value projections: the input rows are quantized once (see
 * {@link QuantizedActivations}), then the weight rows of all products, taken as one sequence, are split among the
 * workers in one dispatch.
 *
 * <p>A batch goes through the weights in blocks of {@value #ROW_BLOCK} rows: each block, small enough to stay in the
 * core's cache, meets every activation row ({@link QuantKernels#TILE} at a time) before the next block is read, so
 * each weight is fetched from memory once per batch.
 */
final class QuantMatMulStep implements Step, ParallelTask {
    /**
     * Chunks per thread and product: with more of them, a thread that falls behind (its core taken by other work for
     * a while) leaves less of the product to wait for; each costs one claim.
     */
    private static final int CHUNKS_PER_THREAD = 16;
    private static final int ROW_BLOCK = 16;

    private final Simd simd;
    private final WorkerPool pool;
    private final PackedMatrix[] weights;
    private final float[][] outs;
    /** {@code starts[m]}: the first row of product {@code m} in the sequence of all rows; the last entry is the total. */
    private final int[] starts;
    private final float[] in;
    private final int inWidth;
    private final boolean singleRow;
    private final QuantizedActivations activations;
    private final int[][] levels;
    private final int chunks;
    private final ParallelTask quantizer;
    private int rows;

    QuantMatMulStep(Simd simd, WorkerPool pool, PackedMatrix[] weights, float[][] outs, float[] in, int inWidth,
                    boolean singleRow, int maxBatch) {
        this.simd = simd;
        this.pool = pool;
        this.weights = weights.clone();
        this.outs = outs.clone();
        this.starts = new int[weights.length + 1];
        for (int m = 0; m < weights.length; m++) {
            starts[m + 1] = starts[m] + weights[m].rows();
        }
        this.in = in;
        this.inWidth = inWidth;
        this.singleRow = singleRow;
        this.activations = new QuantizedActivations(inWidth, simd.ints().length(), singleRow ? 1 : maxBatch);
        this.levels = new int[pool.size()][PackedMatrix.BLOCK];
        this.chunks = Math.min(starts[weights.length], pool.size() * CHUNKS_PER_THREAD);
        this.quantizer = (worker, row) -> activations.quantize(simd, in, row * inWidth, row, levels[worker]);
    }

    @Override
    public void execute(Batch batch) {
        rows = singleRow ? 1 : batch.count;
        activations.tileRows(rows - rows % QuantKernels.TILE);
        if (rows == 1) {
            quantizer.run(0, 0);
        } else {
            pool.run(quantizer, rows);
        }
        pool.run(this, chunks);
    }

    @Override
    public void run(int worker, int chunk) {
        int total = starts[weights.length];
        int first = boundary(chunk, total);
        int end = chunk + 1 == chunks ? total : boundary(chunk + 1, total);
        for (int m = 0; m < weights.length && first < end; m++) {
            if (first >= starts[m + 1]) {
                continue;
            }
            int last = Math.min(end, starts[m + 1]);
            multiply(weights[m], outs[m], first - starts[m], last - starts[m]);
            first = last;
        }
    }

    /**
     * Where chunk {@code chunk} starts: an even row, so that the row kernels find both rows of every pair in the
     * same chunk ({@link RowPairs}; products of matrices with even row counts, which all models have).
     */
    private int boundary(int chunk, int total) {
        return (int) ((long) chunk * total / chunks) & ~1;
    }

    private void multiply(PackedMatrix w, float[] out, int first, int end) {
        if (rows == 1) {
            rowProducts(simd, w, activations, 0, first, end, out);
            return;
        }
        for (int block = first; block < end; block += ROW_BLOCK) {
            int blockEnd = Math.min(end, block + ROW_BLOCK);
            int a = 0;
            for (; a + QuantKernels.TILE <= rows; a += QuantKernels.TILE) {
                tileProducts(simd, w, activations, a, block, blockEnd, out);
            }
            for (; a < rows; a++) {
                rowProducts(simd, w, activations, a, block, blockEnd, out);
            }
        }
    }

    /**
     * Products of weight rows {@code [first, end)} with the {@link QuantKernels#TILE} activation rows from {@code a}
     * (a tile of {@code x}, see {@link QuantizedActivations#tileRows}),
     * into {@code out[k * w.rows() + r]} for activation row {@code k}: the tile kernel of {@code w}'s layout.
     */
    static void tileProducts(Simd simd, PackedMatrix w, QuantizedActivations x, int a, int first, int end,
                             float[] out) {
        int xqOff = a * x.quantsPerRow();
        int xsOff = a * x.blocksPerRow();
        int outOff = a * w.rows();
        MemorySegment data = w.data();
        long rowBytes = w.rowBytes();
        int groups = w.groups();
        switch (w.layout()) {
            case Q4_0 -> QuantKernels.tileQ4(simd, data, rowBytes, w.rows(), groups, first, end, x.quants(), xqOff,
                    x.scales(), x.offsets(), xsOff, out, outOff, w.rows());
            case Q8_0 -> QuantKernels.tileQ8(simd, data, rowBytes, w.rows(), groups, first, end, x.quants(), xqOff,
                    x.scales(), xsOff, out, outOff, w.rows());
            case AFFINE_4 -> AffineKernels.tile4(simd, data, rowBytes, groups, first, end, x.quants(), xqOff,
                    x.scales(), x.blockSums(), xsOff, out, outOff, w.rows());
            case AFFINE_5 -> AffineKernels.tile5(simd, data, rowBytes, groups, first, end, x.quants(), xqOff,
                    x.scales(), x.blockSums(), xsOff, out, outOff, w.rows());
            case SIX_BIT -> SixBitKernels.tile(simd, data, rowBytes, groups, first, end, x.quants(), xqOff,
                    x.scales(), xsOff, out, outOff, w.rows());
        }
    }

    /** {@link #tileProducts} for the one activation row {@code a}: the row kernel of {@code w}'s layout. */
    static void rowProducts(Simd simd, PackedMatrix w, QuantizedActivations x, int a, int first, int end,
                            float[] out) {
        int xqOff = a * x.quantsPerRow();
        int xsOff = a * x.blocksPerRow();
        int outOff = a * w.rows();
        MemorySegment data = w.data();
        long rowBytes = w.rowBytes();
        int groups = w.groups();
        switch (w.layout()) {
            case Q4_0 -> QuantKernels.dotQ4(simd, data, rowBytes, w.rows(), groups, first, end, x.quants(), xqOff,
                    x.scales(), x.offsets(), xsOff, out, outOff);
            case Q8_0 -> QuantKernels.dotQ8(simd, data, rowBytes, w.rows(), groups, first, end, x.quants(), xqOff,
                    x.scales(), xsOff, out, outOff);
            case AFFINE_4 -> AffineKernels.dot4(simd, data, rowBytes, groups, first, end, x.quants(), xqOff,
                    x.scales(), x.blockSums(), xsOff, out, outOff);
            case AFFINE_5 -> AffineKernels.dot5(simd, data, rowBytes, groups, first, end, x.quants(), xqOff,
                    x.scales(), x.blockSums(), xsOff, out, outOff);
            case SIX_BIT -> SixBitKernels.dot(simd, data, rowBytes, groups, first, end, x.quants(), xqOff,
                    x.scales(), xsOff, out, outOff);
        }
    }
}
