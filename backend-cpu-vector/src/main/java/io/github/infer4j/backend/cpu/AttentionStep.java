package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.graph.Attention;
import io.github.infer4j.spi.KvCacheSpec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static io.github.infer4j.backend.cpu.Layouts.FLOAT;

/**
 * Stores the batch's keys and values in the cache, then lets every row's query heads attend over their visible
 * positions (all earlier ones, or the last {@code window}; scores soft-capped when the op asks) with an online softmax, in blocks of {@code 8 * lanes} positions: the running maximum rescales
 * what was accumulated so far whenever a block raises it, so no score array longer than a block is needed.
 *
 * <p>Work is split by KV head. A worker decodes a block of keys and values of its KV head once, into floats, and
 * uses it for every query head of the group and every row of the batch that reaches it, so F16 decoding costs little
 * next to the multiply-adds. Keys are stored transposed (see {@link CpuKvCache}): the scores of a block for one
 * query are eight vectors of positions, each dimension adding {@code q[d] * keys[d][block]} to all eight, with no
 * sums across lanes.
 */
final class AttentionStep implements Step, ParallelTask {
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
    /** Positions per block: eight vectors. */
    private final int block;
    private final Scratch[] scratch;
    private Batch batch;

    /** One worker's buffers: a decoded block and the softmax state of every (row, query head of the group). */
    private static final class Scratch {
        final float[] keys;
        final float[] values;
        final float[] scores;
        final float[] query;
        final float[] acc;
        final float[] max;
        final float[] sum;

        Scratch(int headDim, int block, int states) {
            keys = new float[headDim * block];
            values = new float[block * headDim];
            scores = new float[block];
            query = new float[headDim];
            acc = new float[states * headDim];
            max = new float[states];
            sum = new float[states];
        }
    }

    AttentionStep(Simd simd, WorkerPool pool, Attention op, float[] q, float[] k, float[] v, float[] out,
                  int maxBatch) {
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
        this.block = 8 * simd.floats().length();
        this.scratch = new Scratch[pool.size()];
        for (int w = 0; w < scratch.length; w++) {
            scratch[w] = new Scratch(headDim, block, maxBatch * group);
        }
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
        pool.run(this, op.kvHeads());
    }

    @Override
    public void run(int worker, int kvHead) {
        Scratch s = scratch[worker];
        CpuKvCache cache = batch.cache;
        int rows = batch.count;
        int states = rows * group;
        Arrays.fill(s.acc, 0, states * headDim, 0f);
        Arrays.fill(s.max, 0, states, Float.NEGATIVE_INFINITY);
        Arrays.fill(s.sum, 0, states, 0f);
        int last = 0;
        int first = Integer.MAX_VALUE;
        for (int r = 0; r < rows; r++) {
            last = Math.max(last, batch.positions[r]);
            first = Math.min(first, op.firstVisible(batch.positions[r]));
        }
        // Blocks stay aligned to multiples of the block size whatever the window, so every row sees the same blocks.
        for (int start = first - first % block; start <= last; start += block) {
            int length = Math.min(block, last + 1 - start);
            decodeBlock(cache, kvHead, start, length, s);
            for (int r = 0; r < rows; r++) {
                int n = Math.min(length, batch.positions[r] + 1 - start);
                int from = Math.max(0, op.firstVisible(batch.positions[r]) - start);
                if (from >= n) {
                    continue;
                }
                for (int i = 0; i < group; i++) {
                    int head = kvHead * group + i;
                    attendBlock(s, r * qWidth + head * headDim, (r * group + i), from, n);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < group; i++) {
                int state = r * group + i;
                divide(s.acc, state * headDim, s.sum[state], r * qWidth + (kvHead * group + i) * headDim);
            }
        }
    }

    /** Decodes positions {@code start..start+length-1} of one KV head: keys into {@code [dim][block]}, values into
     *  {@code [position][dim]}. */
    private void decodeBlock(CpuKvCache cache, int kvHead, int start, int length, Scratch s) {
        MemorySegment data = cache.data();
        int capacity = cache.spec().capacity();
        long keys = cache.keys(op.layer(), kvHead);
        long values = cache.values(op.layer(), kvHead);
        if (cache.half()) {
            for (int d = 0; d < headDim; d++) {
                WeightKernels.decodeF16(simd, data, keys + 2L * ((long) d * capacity + start), s.keys, d * block,
                        length);
            }
            WeightKernels.decodeF16(simd, data, values + 2L * start * headDim, s.values, 0, length * headDim);
        } else {
            for (int d = 0; d < headDim; d++) {
                MemorySegment.copy(data, FLOAT, keys + 4L * ((long) d * capacity + start), s.keys, d * block, length);
            }
            MemorySegment.copy(data, FLOAT, values + 4L * start * headDim, s.values, 0, length * headDim);
        }
    }

    /**
     * Folds positions {@code from..n-1} of the decoded block into the softmax state {@code state} of the query at
     * {@code q[qOff..]}: scores, a new maximum (rescaling the state if it grew), exponentials, weighted values.
     */
    private void attendBlock(Scratch s, int qOff, int state, int from, int n) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        for (int d = 0; d < headDim; d++) {
            s.query[d] = q[qOff + d] * scale;
        }
        FloatVector a0 = FloatVector.zero(fs);
        FloatVector a1 = FloatVector.zero(fs);
        FloatVector a2 = FloatVector.zero(fs);
        FloatVector a3 = FloatVector.zero(fs);
        FloatVector a4 = FloatVector.zero(fs);
        FloatVector a5 = FloatVector.zero(fs);
        FloatVector a6 = FloatVector.zero(fs);
        FloatVector a7 = FloatVector.zero(fs);
        float[] keys = s.keys;
        for (int d = 0; d < headDim; d++) {
            FloatVector qd = FloatVector.broadcast(fs, s.query[d]);
            int at = d * block;
            a0 = FloatVector.fromArray(fs, keys, at).fma(qd, a0);
            a1 = FloatVector.fromArray(fs, keys, at + lanes).fma(qd, a1);
            a2 = FloatVector.fromArray(fs, keys, at + 2 * lanes).fma(qd, a2);
            a3 = FloatVector.fromArray(fs, keys, at + 3 * lanes).fma(qd, a3);
            a4 = FloatVector.fromArray(fs, keys, at + 4 * lanes).fma(qd, a4);
            a5 = FloatVector.fromArray(fs, keys, at + 5 * lanes).fma(qd, a5);
            a6 = FloatVector.fromArray(fs, keys, at + 6 * lanes).fma(qd, a6);
            a7 = FloatVector.fromArray(fs, keys, at + 7 * lanes).fma(qd, a7);
        }
        float[] scores = s.scores;
        a0.intoArray(scores, 0);
        a1.intoArray(scores, lanes);
        a2.intoArray(scores, 2 * lanes);
        a3.intoArray(scores, 3 * lanes);
        a4.intoArray(scores, 4 * lanes);
        a5.intoArray(scores, 5 * lanes);
        a6.intoArray(scores, 6 * lanes);
        a7.intoArray(scores, 7 * lanes);
        if (softcap > 0) {
            for (int j = from; j < n; j++) {
                scores[j] = softcap * (float) Math.tanh(scores[j] / softcap);
            }
        }
        // Positions before the window and past n must weigh nothing (past n the buffer holds stale values).
        Arrays.fill(scores, 0, from, Float.NEGATIVE_INFINITY);
        Arrays.fill(scores, n, block, Float.NEGATIVE_INFINITY);
        FloatVector top = FloatVector.fromArray(fs, scores, 0);
        for (int j = lanes; j < block; j += lanes) {
            top = top.max(FloatVector.fromArray(fs, scores, j));
        }
        float old = s.max[state];
        float max = Math.max(old, top.reduceLanes(VectorOperators.MAX));
        FloatVector total = FloatVector.zero(fs);
        for (int j = 0; j < block; j += lanes) {
            FloatVector p = FloatVector.fromArray(fs, scores, j).sub(max).lanewise(VectorOperators.EXP);
            p.intoArray(scores, j);
            total = total.add(p);
        }
        int acc = state * headDim;
        if (max > old) {
            float shrink = (float) Math.exp(old - max);
            s.sum[state] *= shrink;
            int i = 0;
            for (; i <= headDim - lanes; i += lanes) {
                FloatVector.fromArray(fs, s.acc, acc + i).mul(shrink).intoArray(s.acc, acc + i);
            }
            for (; i < headDim; i++) {
                s.acc[acc + i] *= shrink;
            }
            s.max[state] = max;
        }
        s.sum[state] += total.reduceLanes(VectorOperators.ADD);
        addWeightedValues(s, acc, n);
    }

    /** {@code acc += sum_j p[j] * values[j]} over the block's first {@code n} positions, four chains per vector. */
    private void addWeightedValues(Scratch s, int acc, int n) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        float[] values = s.values;
        float[] p = s.scores;
        int d = 0;
        for (; d <= headDim - lanes; d += lanes) {
            FloatVector c0 = FloatVector.fromArray(fs, s.acc, acc + d);
            FloatVector c1 = FloatVector.zero(fs);
            FloatVector c2 = FloatVector.zero(fs);
            FloatVector c3 = FloatVector.zero(fs);
            int j = 0;
            for (; j <= n - 4; j += 4) {
                int at = j * headDim + d;
                c0 = FloatVector.fromArray(fs, values, at).fma(FloatVector.broadcast(fs, p[j]), c0);
                c1 = FloatVector.fromArray(fs, values, at + headDim).fma(FloatVector.broadcast(fs, p[j + 1]), c1);
                c2 = FloatVector.fromArray(fs, values, at + 2 * headDim).fma(FloatVector.broadcast(fs, p[j + 2]), c2);
                c3 = FloatVector.fromArray(fs, values, at + 3 * headDim).fma(FloatVector.broadcast(fs, p[j + 3]), c3);
            }
            for (; j < n; j++) {
                c0 = FloatVector.fromArray(fs, values, j * headDim + d).fma(FloatVector.broadcast(fs, p[j]), c0);
            }
            c0.add(c1).add(c2.add(c3)).intoArray(s.acc, acc + d);
        }
        for (; d < headDim; d++) {
            float sum = s.acc[acc + d];
            for (int j = 0; j < n; j++) {
                sum += p[j] * values[j * headDim + d];
            }
            s.acc[acc + d] = sum;
        }
    }

    private void divide(float[] acc, int accOff, float sum, int outOff) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        int i = 0;
        for (; i <= headDim - lanes; i += lanes) {
            FloatVector.fromArray(fs, acc, accOff + i).div(sum).intoArray(out, outOff + i);
        }
        for (; i < headDim; i++) {
            out[outOff + i] = acc[accOff + i] / sum;
        }
    }
}
