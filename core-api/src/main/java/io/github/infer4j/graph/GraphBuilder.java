package io.github.infer4j.graph;

import java.util.ArrayList;
import java.util.List;

/** Appends ops in execution order and hands out fresh values; shapes are checked as ops are added. */
public final class GraphBuilder {
    private final List<Op> ops = new ArrayList<>();
    private int nextValue;

    private Value value(int width, boolean singleRow) {
        return new Value(nextValue++, width, singleRow);
    }

    public Value embed(String table, int width) {
        Value out = value(width, false);
        ops.add(new Embed(out, table));
        return out;
    }

    public Value rmsNorm(Value in, String weight, float eps) {
        Value out = value(in.width(), in.singleRow());
        ops.add(new RmsNorm(out, in, weight, eps));
        return out;
    }

    public Value headRmsNorm(Value in, String weight, int heads, int headDim, float eps) {
        Value out = value(in.width(), in.singleRow());
        ops.add(new HeadRmsNorm(out, in, weight, heads, headDim, eps));
        return out;
    }

    public Value matmul(Value in, String weight, int outWidth) {
        Value out = value(outWidth, in.singleRow());
        ops.add(new MatMul(out, in, weight));
        return out;
    }

    public Value biasAdd(Value in, String bias) {
        Value out = value(in.width(), in.singleRow());
        ops.add(new BiasAdd(out, in, bias));
        return out;
    }

    public Value rope(Value in, int heads, int headDim, RopeMode mode, float[] invFreq) {
        Value out = value(in.width(), in.singleRow());
        ops.add(new Rope(out, in, heads, headDim, mode, invFreq));
        return out;
    }

    public Value attention(Value q, Value k, Value v, int layer, int heads, int kvHeads, int headDim, float scale) {
        return attention(q, k, v, layer, heads, kvHeads, headDim, scale, 0, 0f);
    }

    /** Attention limited to the last {@code window} positions (0: all) with scores soft-capped at {@code softcap}. */
    public Value attention(Value q, Value k, Value v, int layer, int heads, int kvHeads, int headDim, float scale,
                           int window, float softcap) {
        if (q.singleRow() || k.singleRow() || v.singleRow()) {
            throw new IllegalArgumentException("attention needs every row of the batch");
        }
        Value out = value(q.width(), false);
        ops.add(new Attention(out, q, k, v, layer, heads, kvHeads, headDim, scale, window, softcap));
        return out;
    }

    public Value swiGlu(Value gate, Value up) {
        requireSameShape(gate, up);
        Value out = value(gate.width(), gate.singleRow());
        ops.add(new SwiGlu(out, gate, up));
        return out;
    }

    public Value geGlu(Value gate, Value up) {
        requireSameShape(gate, up);
        Value out = value(gate.width(), gate.singleRow());
        ops.add(new GeGlu(out, gate, up));
        return out;
    }

    public Value scale(Value in, float factor) {
        Value out = value(in.width(), in.singleRow());
        ops.add(new Scale(out, in, factor));
        return out;
    }

    public Value softCap(Value in, float cap) {
        Value out = value(in.width(), in.singleRow());
        ops.add(new SoftCap(out, in, cap));
        return out;
    }

    public Value add(Value a, Value b) {
        requireSameShape(a, b);
        Value out = value(a.width(), a.singleRow());
        ops.add(new Add(out, a, b));
        return out;
    }

    public Value lastRow(Value in) {
        Value out = value(in.width(), true);
        ops.add(new LastRow(out, in));
        return out;
    }

    public Graph build(Value output) {
        return new Graph(ops, output, nextValue);
    }

    private static void requireSameShape(Value a, Value b) {
        if (a.width() != b.width() || a.singleRow() != b.singleRow()) {
            throw new IllegalArgumentException("element-wise op on different shapes: " + a + " and " + b);
        }
    }
}
