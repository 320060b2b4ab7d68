package io.github.infer4j.graph;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The forward step of a model as a list of ops in execution order, built once per model and shared by every
 * backend. Inputs are the batch's token ids and positions; the result is {@link #output()}.
 */
public final class Graph {
    private final List<Op> ops;
    private final Value output;
    private final int valueCount;

    Graph(List<Op> ops, Value output, int valueCount) {
        this.ops = List.copyOf(ops);
        this.output = output;
        this.valueCount = valueCount;
    }

    public List<Op> ops() {
        return ops;
    }

    public Value output() {
        return output;
    }

    /** Values are numbered {@code 0..valueCount-1}, so backends can keep them in arrays. */
    public int valueCount() {
        return valueCount;
    }

    /** The widest value: a backend can size its scratch buffers from it. */
    public int maxWidth() {
        int max = 0;
        for (Op op : ops) {
            max = Math.max(max, op.out().width());
        }
        return max;
    }

    /** Every weight the graph reads, in first-use order. */
    public Set<String> weightNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Op op : ops) {
            names.addAll(op.weights());
        }
        return names;
    }

    /** Number of attention layers, i.e. the layers a KV cache must hold. */
    public int attentionLayers() {
        int layers = 0;
        for (Op op : ops) {
            if (op instanceof Attention a) {
                layers = Math.max(layers, a.layer() + 1);
            }
        }
        return layers;
    }

    /**
     * Checks that every weight exists with the shape its op needs, before a backend touches any data.
     * Backends call this from {@code compile} so that a malformed model fails with a message naming the tensor.
     */
    public void checkWeights(Function<String, Tensor> weights) {
        List<String> problems = new ArrayList<>();
        for (Op op : ops) {
            switch (op) {
                case Embed e -> expectMatrix(problems, weights.apply(e.table()), e.out().width(), -1);
                case RmsNorm n -> expectVector(problems, weights.apply(n.weight()), n.in().width());
                case HeadRmsNorm n -> expectVector(problems, weights.apply(n.weight()), n.headDim());
                case BiasAdd b -> expectVector(problems, weights.apply(b.bias()), b.in().width());
                case MatMul m -> expectMatrix(problems, weights.apply(m.weight()), m.in().width(), m.out().width());
                case Rope r -> { }
                case Attention a -> { }
                case SwiGlu s -> { }
                case Add a -> { }
                case LastRow l -> { }
                case GeGlu g -> { }
                case Scale s -> { }
                case SoftCap s -> { }
            }
        }
        if (!problems.isEmpty()) {
            throw new Infer4jException("model weights do not fit the graph: " + String.join("; ", problems));
        }
    }

    private static void expectVector(List<String> problems, Tensor w, int length) {
        if (w.type() != DType.F32 || w.elementCount() != length) {
            problems.add(w.name() + " must be an F32 vector of " + length + ", is " + w);
        }
    }

    private static void expectMatrix(List<String> problems, Tensor w, int cols, int rows) {
        long[] dims = w.dims();
        if (dims.length != 2 || dims[0] != cols || (rows >= 0 && dims[1] != rows)) {
            problems.add(w.name() + " must be a matrix of " + (rows >= 0 ? rows : "n") + " rows x " + cols
                    + " columns (dims {" + cols + ", " + (rows >= 0 ? rows : "n") + "}), is " + w);
        }
    }

    @Override
    public String toString() {
        return "Graph[" + ops.size() + " ops, output width " + output.width() + "]";
    }
}
