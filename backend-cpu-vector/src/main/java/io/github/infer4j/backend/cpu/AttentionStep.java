package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.graph.Attention;
import io.github.infer4j.spi.KvCacheSpec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Stores the batch's keys and values in the cache, then lets every (row, query head) pair attend over its visible
 * positions (all earlier ones, or the last {@code window}) in one pass with an online softmax: the running maximum rescales what was accumulated so far
 * whenever it grows, so no score array is needed. Pairs are split among the workers, each with its own accumulator.
 */
final class AttentionStep implements Step, ParallelTask {
    private static final int CHUNKS_PER_THREAD = 4;

    private final Simd simd;
    private final WorkerPool pool;
    private final Attention op;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] out;
    private final int heads;
    private final int headDim;
    private final int group;
    private final int qWidth;
    private final int kvWidth;
    private final float scale;
    private final float softcap;
    private final float[][] accumulators;
    private Batch batch;
    private int pairs;
    private int chunks;

    AttentionStep(Simd simd, WorkerPool pool, Attention op, float[] q, float[] k, float[] v, float[] out) {
        this.simd = simd;
        this.pool = pool;
        this.op = op;
        this.q = q;
        this.k = k;
        this.v = v;
        this.out = out;
        this.heads = op.heads();
        this.headDim = op.headDim();
        this.group = op.heads() / op.kvHeads();
        this.qWidth = op.heads() * op.headDim();
        this.kvWidth = op.kvHeads() * op.headDim();
        this.scale = op.scale();
        this.softcap = op.softcap();
        this.accumulators = new float[pool.size()][headDim];
    }

    @Override
    public void check(Batch batch) {
        KvCacheSpec spec = batch.cache.spec();
        if (spec.layers() <= op.layer() || spec.kvHeads() != op.kvHeads() || spec.headDim() != op.headDim()) {
            throw new Infer4jException("KV cache " + spec + " does not fit attention layer " + op.layer() + " with "
                    + op.kvHeads() + " KV heads of " + op.headDim());
        }
        for (int r = 0; r < batch.count; r++) {
            int position = batch.positions[r];
            if (position < 0 || position >= spec.capacity()) {
                throw new Infer4jException("position " + position + " is outside the KV cache capacity "
                        + spec.capacity());
            }
        }
    }

    @Override
    public void execute(Batch batch) {
        CpuKvCache cache = batch.cache;
        for (int r = 0; r < batch.count; r++) {
            cache.store(op.layer(), batch.positions[r], k, r * kvWidth, v, r * kvWidth);
        }
        this.batch = batch;
        pairs = batch.count * heads;
        chunks = Math.min(pairs, pool.size() * CHUNKS_PER_THREAD);
        pool.run(this, chunks);
    }

    @Override
    public void run(int worker, int chunk) {
        int first = (int) ((long) chunk * pairs / chunks);
        int end = (int) ((long) (chunk + 1) * pairs / chunks);
        for (int pair = first; pair < end; pair++) {
            attend(accumulators[worker], pair / heads, pair % heads);
        }
    }

    private void attend(float[] acc, int row, int head) {
        CpuKvCache cache = batch.cache;
        MemorySegment data = cache.data();
        boolean half = cache.half();
        long stride = cache.rowBytes();
        long headOffset = (long) (head / group) * headDim * (half ? 2 : 4);
        long keys = cache.keyOffset(op.layer(), 0) + headOffset;
        long values = cache.valueOffset(op.layer(), 0) + headOffset;
        int qOff = row * qWidth + head * headDim;
        int last = batch.positions[row];
        int first = op.firstVisible(last);
        Arrays.fill(acc, 0f);
        float max = Float.NEGATIVE_INFINITY;
        float sum = 0f;
        for (int t = first; t <= last; t++) {
            float score = (half ? WeightKernels.dotF16(simd, data, keys + t * stride, q, qOff, headDim)
                    : WeightKernels.dotF32(simd, data, keys + t * stride, q, qOff, headDim)) * scale;
            if (softcap > 0) {
                score = softcap * (float) Math.tanh(score / softcap);
            }
            if (score > max) {
                if (t > first) {
                    float shrink = (float) Math.exp(max - score);
                    sum *= shrink;
                    rescale(acc, shrink);
                }
                max = score;
            }
            float p = (float) Math.exp(score - max);
            sum += p;
            if (half) {
                WeightKernels.addScaledF16(simd, data, values + t * stride, p, acc, headDim);
            } else {
                WeightKernels.addScaledF32(simd, data, values + t * stride, p, acc, headDim);
            }
        }
        divide(acc, sum, qOff);
    }

    private void rescale(float[] acc, float factor) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        int i = 0;
        for (; i <= headDim - lanes; i += lanes) {
            FloatVector.fromArray(fs, acc, i).mul(factor).intoArray(acc, i);
        }
        for (; i < headDim; i++) {
            acc[i] *= factor;
        }
    }

    private void divide(float[] acc, float sum, int outOff) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        int i = 0;
        for (; i <= headDim - lanes; i += lanes) {
            FloatVector.fromArray(fs, acc, i).div(sum).intoArray(out, outOff + i);
        }
        for (; i < headDim; i++) {
            out[outOff + i] = acc[i] / sum;
        }
    }
}
