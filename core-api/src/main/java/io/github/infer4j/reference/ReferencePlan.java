package io.github.infer4j.reference;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.graph.Add;
import io.github.infer4j.graph.Attention;
import io.github.infer4j.graph.BiasAdd;
import io.github.infer4j.graph.Embed;
import io.github.infer4j.graph.GeGlu;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.HeadRmsNorm;
import io.github.infer4j.graph.LastRow;
import io.github.infer4j.graph.MatMul;
import io.github.infer4j.graph.Op;
import io.github.infer4j.graph.RmsNorm;
import io.github.infer4j.graph.Rope;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.graph.Scale;
import io.github.infer4j.graph.SoftCap;
import io.github.infer4j.graph.SwiGlu;
import io.github.infer4j.graph.Value;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.Tensor;

/** Executes the ops of a graph in order with the most direct scalar arithmetic: the definition of each op. */
final class ReferencePlan implements Plan {
    private final Graph graph;
    private final Weights weights;
    private final int maxBatch;
    /** Row-major activations of each value, sized for the largest batch. */
    private final float[][] values;

    ReferencePlan(Graph graph, Weights weights, int maxBatch) {
        graph.checkWeights(weights::tensor);
        this.graph = graph;
        this.weights = weights;
        this.maxBatch = maxBatch;
        this.values = new float[graph.valueCount()][];
        for (Op op : graph.ops()) {
            Value v = op.out();
            values[v.id()] = new float[(v.singleRow() ? 1 : maxBatch) * v.width()];
        }
    }

    @Override
    public Graph graph() {
        return graph;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public void run(int[] tokens, int[] positions, int count, KvCache cache, float[] out) {
        if (count < 1 || count > maxBatch) {
            throw new Infer4jException("batch of " + count + " tokens, plan accepts 1.." + maxBatch);
        }
        ReferenceKvCache kv = (ReferenceKvCache) cache;
        for (Op op : graph.ops()) {
            int rows = op.out().singleRow() ? 1 : count;
            switch (op) {
                case Embed e -> embed(e, tokens, count);
                case RmsNorm n -> rmsNorm(n, rows);
                case MatMul m -> matmul(m, rows);
                case Rope r -> rope(r, positions, count);
                case Attention a -> attention(a, positions, count, kv);
                case SwiGlu s -> swiGlu(s, rows);
                case Add a -> add(a, rows);
                case LastRow l -> System.arraycopy(values[l.in().id()], (count - 1) * l.in().width(),
                        values[l.out().id()], 0, l.in().width());
                case BiasAdd b -> biasAdd(b, rows);
                case HeadRmsNorm n -> headRmsNorm(n, rows);
                case GeGlu g -> geGlu(g, rows);
                case Scale s -> scale(s, rows);
                case SoftCap s -> softCap(s, rows);
            }
        }
        if (out != null) {
            Value output = graph.output();
            int outRows = output.singleRow() ? 1 : count;
            System.arraycopy(values[output.id()], 0, out, 0, outRows * output.width());
        }
    }

    private void embed(Embed e, int[] tokens, int count) {
        Tensor table = weights.tensor(e.table());
        int width = e.out().width();
        float[] out = values[e.out().id()];
        for (int r = 0; r < count; r++) {
            int token = tokens[r];
            if (token < 0 || token >= table.rows()) {
                throw new Infer4jException("token id " + token + " is outside the vocabulary of " + table.rows());
            }
            table.type().format().dequantize(table.data(), token * table.rowBytes(), out, r * width, width);
        }
    }

    private void rmsNorm(RmsNorm n, int rows) {
        int width = n.in().width();
        float[] gamma = vector(n.weight(), width);
        for (int r = 0; r < rows; r++) {
            normalize(values[n.in().id()], values[n.out().id()], r * width, width, gamma, n.eps());
        }
    }

    private void headRmsNorm(HeadRmsNorm n, int rows) {
        float[] gamma = vector(n.weight(), n.headDim());
        for (int run = 0; run < rows * n.heads(); run++) {
            normalize(values[n.in().id()], values[n.out().id()], run * n.headDim(), n.headDim(), gamma, n.eps());
        }
    }

    /** {@code out[base..base+width)} = that run of {@code in} divided by its root mean square, times gamma. */
    private static void normalize(float[] in, float[] out, int base, int width, float[] gamma, float eps) {
        float sum = 0;
        for (int i = 0; i < width; i++) {
            sum += in[base + i] * in[base + i];
        }
        float scale = (float) (1.0 / Math.sqrt(sum / width + eps));
        for (int i = 0; i < width; i++) {
            out[base + i] = in[base + i] * scale * gamma[i];
        }
    }

    private float[] vector(String name, int length) {
        Tensor w = weights.tensor(name);
        float[] v = new float[length];
        w.type().format().dequantize(w.data(), 0, v, 0, length);
        return v;
    }

    private void biasAdd(BiasAdd b, int rows) {
        int width = b.in().width();
        float[] bias = vector(b.bias(), width);
        float[] in = values[b.in().id()];
        float[] out = values[b.out().id()];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) {
                out[r * width + i] = in[r * width + i] + bias[i];
            }
        }
    }

    private void matmul(MatMul m, int rows) {
        Tensor w = weights.tensor(m.weight());
        int inWidth = m.in().width();
        int outWidth = m.out().width();
        float[] in = values[m.in().id()];
        float[] out = values[m.out().id()];
        long rowBytes = w.rowBytes();
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outWidth; o++) {
                out[r * outWidth + o] = w.type().format().dot(w.data(), o * rowBytes, in, r * inWidth, inWidth);
            }
        }
    }

    private void rope(Rope r, int[] positions, int count) {
        // A single-row value holds the batch's last token, so it turns at the last position.
        int rows = r.out().singleRow() ? 1 : count;
        int firstPosition = r.out().singleRow() ? count - 1 : 0;
        float[] in = values[r.in().id()];
        float[] out = values[r.out().id()];
        int width = r.in().width();
        int half = r.rotatedPairs();
        for (int row = 0; row < rows; row++) {
            System.arraycopy(in, row * width, out, row * width, width);
            int position = positions[firstPosition + row];
            for (int h = 0; h < r.heads(); h++) {
                int base = row * width + h * r.headDim();
                for (int i = 0; i < half; i++) {
                    double angle = position * (double) r.invFreq(i);
                    float cos = (float) Math.cos(angle);
                    float sin = (float) Math.sin(angle);
                    int a = r.mode() == RopeMode.NORMAL ? base + 2 * i : base + i;
                    int b = r.mode() == RopeMode.NORMAL ? a + 1 : base + i + half;
                    float x0 = in[a];
                    float x1 = in[b];
                    out[a] = x0 * cos - x1 * sin;
                    out[b] = x0 * sin + x1 * cos;
                }
            }
        }
    }

    private void attention(Attention a, int[] positions, int count, ReferenceKvCache kv) {
        float[] q = values[a.q().id()];
        float[] k = values[a.k().id()];
        float[] v = values[a.v().id()];
        float[] out = values[a.out().id()];
        int hd = a.headDim();
        int kvWidth = a.kvHeads() * hd;
        int qWidth = a.heads() * hd;
        for (int r = 0; r < count; r++) {
            if (positions[r] >= kv.spec().capacity()) {
                throw new Infer4jException("position " + positions[r] + " is past the KV cache capacity "
                        + kv.spec().capacity());
            }
            kv.store(a.layer(), positions[r], k, v, r * kvWidth);
        }
        float[] keys = kv.keys(a.layer());
        float[] vals = kv.values(a.layer());
        int group = a.heads() / a.kvHeads();
        float[] scores = new float[positions[count - 1] + 1];
        for (int r = 0; r < count; r++) {
            int last = positions[r];
            int first = a.firstVisible(last);
            for (int h = 0; h < a.heads(); h++) {
                int qBase = r * qWidth + h * hd;
                int kvOff = (h / group) * hd;
                float max = Float.NEGATIVE_INFINITY;
                for (int t = first; t <= last; t++) {
                    float dot = 0;
                    for (int i = 0; i < hd; i++) {
                        dot += q[qBase + i] * keys[t * kvWidth + kvOff + i];
                    }
                    scores[t] = dot * a.scale();
                    if (a.softcap() > 0) {
                        scores[t] = a.softcap() * (float) Math.tanh(scores[t] / a.softcap());
                    }
                    max = Math.max(max, scores[t]);
                }
                float sum = 0;
                for (int t = first; t <= last; t++) {
                    scores[t] = (float) Math.exp(scores[t] - max);
                    sum += scores[t];
                }
                for (int i = 0; i < hd; i++) {
                    float acc = 0;
                    for (int t = first; t <= last; t++) {
                        acc += scores[t] * vals[t * kvWidth + kvOff + i];
                    }
                    out[qBase + i] = acc / sum;
                }
            }
        }
    }

    private void swiGlu(SwiGlu s, int rows) {
        float[] gate = values[s.gate().id()];
        float[] up = values[s.up().id()];
        float[] out = values[s.out().id()];
        int n = rows * s.out().width();
        for (int i = 0; i < n; i++) {
            float g = gate[i];
            out[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }

    private void geGlu(GeGlu g, int rows) {
        float[] gate = values[g.gate().id()];
        float[] up = values[g.up().id()];
        float[] out = values[g.out().id()];
        int n = rows * g.out().width();
        for (int i = 0; i < n; i++) {
            float x = gate[i];
            float inner = GeGlu.SQRT_2_OVER_PI * (x + GeGlu.CUBIC * x * x * x);
            out[i] = 0.5f * x * (1f + (float) Math.tanh(inner)) * up[i];
        }
    }

    private void scale(Scale s, int rows) {
        float[] in = values[s.in().id()];
        float[] out = values[s.out().id()];
        int n = rows * s.out().width();
        for (int i = 0; i < n; i++) {
            out[i] = in[i] * s.factor();
        }
    }

    private void softCap(SoftCap s, int rows) {
        float[] in = values[s.in().id()];
        float[] out = values[s.out().id()];
        int n = rows * s.out().width();
        for (int i = 0; i < n; i++) {
            out[i] = s.cap() * (float) Math.tanh(in[i] / s.cap());
        }
    }

    private void add(Add a, int rows) {
        float[] x = values[a.a().id()];
        float[] y = values[a.b().id()];
        float[] out = values[a.out().id()];
        int n = rows * a.out().width();
        for (int i = 0; i < n; i++) {
            out[i] = x[i] + y[i];
        }
    }

    @Override
    public void close() {
    }
}
