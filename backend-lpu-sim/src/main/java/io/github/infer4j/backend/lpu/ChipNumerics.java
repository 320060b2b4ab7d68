package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.graph.Add;
import io.github.infer4j.graph.Attention;
import io.github.infer4j.graph.Embed;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.LastRow;
import io.github.infer4j.graph.MatMul;
import io.github.infer4j.graph.Op;
import io.github.infer4j.graph.RmsNorm;
import io.github.infer4j.graph.Rope;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.graph.SwiGlu;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.Tensor;

import java.util.List;

/**
 * Computes a graph's values as the chips do: weights in their on-chip form ({@link ChipMatrix}); int8 matrices
 * multiply int8 activations (one scale per row, over the part of the row a chip holds) in int32; fp16 matrices
 * multiply fp16 activations with fp32 sums; vector arithmetic runs in fp32; every value is stored at its
 * {@link ModelIr#storageBytes} (fp16 rounding for 2 bytes). With tensor parallelism the row-split matrices give
 * each chip's fp32 partial sums, added in chip order as the all-reduce does.
 */
final class ChipNumerics {
    private final Graph graph;
    private final int tp;
    private final float[][] values;
    private final int[] storedBytes;
    private final ModelIr.Split[] splits;
    /** Per op: one image, or one per chip when the split changes the numbers (row-split matrices, embeddings). */
    private final ChipMatrix[][] images;
    private final float[][] gains;
    private final byte[] activationQ;
    private final float[] activationH;
    private final float[] partial;
    private float[] scores = new float[1];

    ChipNumerics(Graph graph, ModelIr ir, int tp, Weights weights, int maxBatch) {
        this.graph = graph;
        this.tp = tp;
        List<Op> ops = graph.ops();
        this.values = new float[graph.valueCount()][];
        this.storedBytes = new int[graph.valueCount()];
        this.splits = new ModelIr.Split[ops.size()];
        this.images = new ChipMatrix[ops.size()][];
        this.gains = new float[ops.size()][];
        for (ModelIr.Unit unit : ir.units()) {
            for (ModelIr.IrOp op : unit.ops()) {
                splits[op.graphOp()] = op.split();
                storedBytes[op.out()] = op.outBytes();
            }
        }
        long hostBytes = 0;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            values[op.out().id()] = new float[(op.out().singleRow() ? 1 : maxBatch) * op.out().width()];
            switch (op) {
                case MatMul m -> images[i] = split(weights.tensor(m.weight()), splits[i] == ModelIr.Split.ROWS);
                case Embed e -> images[i] = split(weights.tensor(e.table()), true);
                case RmsNorm n -> {
                    Tensor w = weights.tensor(n.weight());
                    gains[i] = new float[n.in().width()];
                    w.type().format().dequantize(w.data(), 0, gains[i], 0, gains[i].length);
                }
                default -> {
                }
            }
            if (images[i] != null) {
                for (ChipMatrix m : images[i]) {
                    hostBytes += m.bytes();
                }
            }
        }
        long free = Runtime.getRuntime().maxMemory() - (Runtime.getRuntime().totalMemory()
                - Runtime.getRuntime().freeMemory());
        if (hostBytes > free) {
            throw new Infer4jException("simulating this model's numbers needs " + hostBytes / 1048576
                    + " MiB of host memory for the on-chip weights, " + free / 1048576 + " MiB are free; plan large "
                    + "models with the LPU planner instead");
        }
        int widest = Math.max(graph.maxWidth(), 1);
        for (Op op : ops) {
            for (var v : op.inputs()) {
                widest = Math.max(widest, v.width());
            }
        }
        this.activationQ = new byte[widest];
        this.activationH = new float[widest];
        this.partial = new float[widest];
    }

    /** Whole-matrix image, or one per chip of the columns (the reduction dimension) when {@code byColumns}. */
    private ChipMatrix[] split(Tensor t, boolean byColumns) {
        int rows = Math.toIntExact(t.rows());
        int cols = Math.toIntExact(t.cols());
        LpuPrecision format = LpuPrecision.of(t.type());
        int parts = byColumns ? tp : 1;
        ChipMatrix[] m = new ChipMatrix[parts];
        for (int p = 0; p < parts; p++) {
            int c0 = p * cols / parts;
            int c1 = (p + 1) * cols / parts;
            m[p] = ChipMatrix.of(t, format, 0, rows, c0, c1 - c0);
        }
        return m;
    }

    /**
     * Runs the ops in {@code order} (indices into the graph's ops) and copies the output rows to {@code out}, unless
     * it is null.
     */
    void run(int[] order, int[] tokens, int[] positions, int count, LpuKvCache kv, float[] out) {
        List<Op> ops = graph.ops();
        for (int index : order) {
            Op op = ops.get(index);
            int rows = op.out().singleRow() ? 1 : count;
            switch (op) {
                case Embed e -> embed(e, images[index], tokens, count);
                case RmsNorm n -> rmsNorm(n, gains[index], rows);
                case MatMul m -> matmul(m, images[index], rows);
                case Rope r -> rope(r, positions, rows);
                case Attention a -> attention(a, positions, count, kv);
                case SwiGlu s -> swiGlu(s, rows);
                case Add a -> add(a, rows);
                case LastRow l -> System.arraycopy(values[l.in().id()], (count - 1) * l.in().width(),
                        values[l.out().id()], 0, l.in().width());
                default -> throw new IllegalStateException("refused by ModelIr.requireLowerable: " + op);
            }
        }
        if (out != null) {
            var output = graph.output();
            System.arraycopy(values[output.id()], 0, out, 0, (output.singleRow() ? 1 : count) * output.width());
        }
    }

    private float stored(int value, float v) {
        return storedBytes[value] == 2 ? ChipMatrix.toHalf(v) : v;
    }

    private void embed(Embed e, ChipMatrix[] table, int[] tokens, int count) {
        float[] out = values[e.out().id()];
        int width = e.out().width();
        int vocab = table[0].rows;
        for (int r = 0; r < count; r++) {
            int token = tokens[r];
            if (token < 0 || token >= vocab) {
                throw new Infer4jException("token id " + token + " is outside the vocabulary of " + vocab);
            }
            int c = 0;
            for (ChipMatrix part : table) {
                for (int j = 0; j < part.cols; j++) {
                    out[r * width + c++] = stored(e.out().id(), part.get(token, j));
                }
            }
        }
    }

    private void rmsNorm(RmsNorm n, float[] gamma, int rows) {
        int width = n.in().width();
        float[] in = values[n.in().id()];
        float[] out = values[n.out().id()];
        int id = n.out().id();
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            float sum = 0;
            for (int i = 0; i < width; i++) {
                sum += in[base + i] * in[base + i];
            }
            float scale = (float) (1.0 / Math.sqrt(sum / width + n.eps()));
            for (int i = 0; i < width; i++) {
                out[base + i] = stored(id, in[base + i] * scale * gamma[i]);
            }
        }
    }

    private void matmul(MatMul m, ChipMatrix[] parts, int rows) {
        int inWidth = m.in().width();
        int outWidth = m.out().width();
        float[] in = values[m.in().id()];
        float[] out = values[m.out().id()];
        int id = m.out().id();
        for (int r = 0; r < rows; r++) {
            int xBase = r * inWidth;
            int col = 0;
            for (int p = 0; p < parts.length; p++) {
                ChipMatrix w = parts[p];
                if (w.format == LpuPrecision.INT8) {
                    int8Rows(w, in, xBase + col);
                } else {
                    fp16Rows(w, in, xBase + col);
                }
                for (int o = 0; o < outWidth; o++) {
                    // Chips add their fp32 partial rows in chip order, as the all-reduce does.
                    out[r * outWidth + o] = p == 0 ? partial[o] : out[r * outWidth + o] + partial[o];
                }
                col += w.cols;
            }
            for (int o = 0; o < outWidth; o++) {
                out[r * outWidth + o] = stored(id, out[r * outWidth + o]);
            }
        }
    }

    /** int8 x int8 with int32 sums, then the weight row scale and the activation row scale. */
    private void int8Rows(ChipMatrix w, float[] x, int offset) {
        float max = 0;
        for (int k = 0; k < w.cols; k++) {
            max = Math.max(max, Math.abs(x[offset + k]));
        }
        float a = max / 127f;
        float inv = a == 0 ? 0 : 1 / a;
        for (int k = 0; k < w.cols; k++) {
            activationQ[k] = (byte) ChipMatrix.roundToInt8(x[offset + k] * inv);
        }
        byte[] q = w.q;
        for (int o = 0; o < w.rows; o++) {
            int dot = 0;
            int base = o * w.cols;
            for (int k = 0; k < w.cols; k++) {
                dot += q[base + k] * activationQ[k];
            }
            partial[o] = dot * w.scale[o] * a;
        }
    }

    /** fp16 x fp16 products (exact in fp32) summed in fp32. */
    private void fp16Rows(ChipMatrix w, float[] x, int offset) {
        for (int k = 0; k < w.cols; k++) {
            activationH[k] = ChipMatrix.toHalf(x[offset + k]);
        }
        float[] h = w.half;
        for (int o = 0; o < w.rows; o++) {
            float sum = 0;
            int base = o * w.cols;
            for (int k = 0; k < w.cols; k++) {
                sum += h[base + k] * activationH[k];
            }
            partial[o] = sum;
        }
    }

    private void rope(Rope r, int[] positions, int rows) {
        float[] in = values[r.in().id()];
        float[] out = values[r.out().id()];
        int id = r.out().id();
        int width = r.in().width();
        int half = r.rotatedPairs();
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < width; i++) {
                out[row * width + i] = stored(id, in[row * width + i]);
            }
            int position = positions[row];
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
                    out[a] = stored(id, x0 * cos - x1 * sin);
                    out[b] = stored(id, x0 * sin + x1 * cos);
                }
            }
        }
    }

    private void attention(Attention a, int[] positions, int count, LpuKvCache kv) {
        float[] q = values[a.q().id()];
        float[] k = values[a.k().id()];
        float[] v = values[a.v().id()];
        float[] out = values[a.out().id()];
        int id = a.out().id();
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
        if (scores.length < positions[count - 1] + 1) {
            scores = new float[positions[count - 1] + 1];
        }
        for (int r = 0; r < count; r++) {
            int last = positions[r];
            for (int h = 0; h < a.heads(); h++) {
                int qBase = r * qWidth + h * hd;
                int kvOff = (h / group) * hd;
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t <= last; t++) {
                    float dot = 0;
                    for (int i = 0; i < hd; i++) {
                        dot += q[qBase + i] * keys[t * kvWidth + kvOff + i];
                    }
                    scores[t] = dot * a.scale();
                    max = Math.max(max, scores[t]);
                }
                float sum = 0;
                for (int t = 0; t <= last; t++) {
                    scores[t] = (float) Math.exp(scores[t] - max);
                    sum += scores[t];
                }
                for (int i = 0; i < hd; i++) {
                    float acc = 0;
                    for (int t = 0; t <= last; t++) {
                        acc += scores[t] * vals[t * kvWidth + kvOff + i];
                    }
                    out[qBase + i] = stored(id, acc / sum);
                }
            }
        }
    }

    private void swiGlu(SwiGlu s, int rows) {
        float[] gate = values[s.gate().id()];
        float[] up = values[s.up().id()];
        float[] out = values[s.out().id()];
        int id = s.out().id();
        int n = rows * s.out().width();
        for (int i = 0; i < n; i++) {
            float g = gate[i];
            out[i] = stored(id, g / (1f + (float) Math.exp(-g)) * up[i]);
        }
    }

    private void add(Add a, int rows) {
        float[] x = values[a.a().id()];
        float[] y = values[a.b().id()];
        float[] out = values[a.out().id()];
        int id = a.out().id();
        int n = rows * a.out().width();
        for (int i = 0; i < n; i++) {
            out[i] = stored(id, x[i] + y[i]);
        }
    }
}
