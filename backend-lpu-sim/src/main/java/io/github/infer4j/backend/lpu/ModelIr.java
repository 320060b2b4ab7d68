package io.github.infer4j.backend.lpu;

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
import io.github.infer4j.graph.Scale;
import io.github.infer4j.graph.SoftCap;
import io.github.infer4j.graph.SwiGlu;
import io.github.infer4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A model as the LPU compiler partitions it: residual blocks ("units") of kernels at full size, each marked with how
 * tensor parallelism splits it. It comes from a real {@link Graph} (which the backend also executes) or from a
 * {@link ModelShape} (planning only, mixtures of experts included).
 */
final class ModelIr {
    /** How an op is split over the {@code t} chips of a tensor-parallel group. */
    enum Split {
        /** Every chip computes the whole op. */
        REPLICATED,
        /** Output columns (or features) are divided; no transfer. */
        COLUMNS,
        /** The reduction dimension is divided; the fp32 partial rows are all-reduced. */
        ROWS,
        /** Heads are divided. */
        HEADS,
        /** Output columns are divided and then gathered on every chip (embedding, output head). */
        GATHERED_COLUMNS,
        /** A mixture-of-experts feed-forward block, computed on expert chips of its own. */
        EXPERTS
    }

    /** The Llama block shapes a graph's units are recognised as; tensor parallelism needs every unit to be one. */
    private enum UnitKind { EMBED, ATTENTION, FEED_FORWARD, HEAD, OTHER }

    /**
     * One op at full size. For {@link Split#EXPERTS}, {@code kernel} is the router and the expert block is given by
     * {@code experts}, {@code expertsPerToken} and {@code expertFfn}.
     */
    record IrOp(Kernel kernel, Split split, int out, int outWidth, int outBytes, int[] in, boolean singleRow,
                int graphOp) {
        IrOp {
            in = in.clone();
        }

        @Override
        public int[] in() {
            return in.clone();
        }
    }

    /** Shape of the experts of a mixture unit. */
    record Experts(int experts, int perToken, int dim, int ffn, LpuPrecision format) {
        long bytesPerExpert() {
            return 3L * dim * ffn * format.bytes() + (format == LpuPrecision.INT8 ? 4L * (2L * ffn + dim) : 0);
        }
    }

    record Unit(String name, List<IrOp> ops, Experts experts) {
        Unit {
            ops = List.copyOf(ops);
        }
    }

    private final String name;
    private final List<Unit> units;
    private final int valueCount;
    /**
     * Every tensor-parallel degree must divide this (the heads and KV heads of every layer); 1 when the graph is not
     * Llama-shaped, since tensor parallelism is only defined for Llama blocks.
     */
    private final int maxTensorParallel;

    private ModelIr(String name, List<Unit> units, int valueCount, int maxTensorParallel) {
        this.name = name;
        this.units = List.copyOf(units);
        this.valueCount = valueCount;
        this.maxTensorParallel = maxTensorParallel;
    }

    String name() {
        return name;
    }

    List<Unit> units() {
        return units;
    }

    int valueCount() {
        return valueCount;
    }

    /** Whether {@code t} chips can split every op of this model evenly by heads. */
    boolean allowsTensorParallel(int t) {
        return maxTensorParallel % t == 0;
    }

    /**
     * Bytes per element each value is stored at: activations entering the matrix planes are fp16, the residual
     * stream and the program's result fp32 (docs/LPU.md, "Numerics").
     */
    static int storageBytes(Op op, Graph graph) {
        if (op.out().id() == graph.output().id()) {
            return 4;
        }
        return switch (op) {
            case Embed e -> 4;
            case Add a -> 4;
            case LastRow l -> storageBytes(producer(graph, l.in().id()), graph);
            default -> 2;
        };
    }

    private static Op producer(Graph graph, int value) {
        for (Op op : graph.ops()) {
            if (op.out().id() == value) {
                return op;
            }
        }
        throw new IllegalStateException("value " + value + " has no producer");
    }

    /** The units of a graph: the embedding, each residual block (closed by an Add), and what follows. */
    static ModelIr fromGraph(Graph graph, Function<String, Tensor> weights, String name) {
        requireLowerable(graph, name);
        List<Unit> units = new ArrayList<>();
        List<IrOp> current = new ArrayList<>();
        List<Op> currentOps = new ArrayList<>();
        List<Op> ops = graph.ops();
        boolean llamaShaped = true;
        int heads = 0;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            boolean feedsAdd = feedsAdd(graph, op);
            IrOp ir = irOp(op, i, graph, weights, feedsAdd);
            if (op instanceof Attention a) {
                heads = gcd(heads, gcd(a.heads(), a.kvHeads()));
            }
            if (op instanceof Rope r) {
                heads = gcd(heads, r.heads());
            }
            current.add(ir);
            currentOps.add(op);
            boolean closes = op instanceof Add || (op instanceof Embed && units.isEmpty() && current.size() == 1);
            if (closes) {
                UnitKind kind = kindOf(currentOps);
                llamaShaped &= kind != UnitKind.OTHER;
                units.add(new Unit(unitName(units.size(), kind), current, null));
                current = new ArrayList<>();
                currentOps = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            UnitKind kind = kindOf(currentOps);
            llamaShaped &= kind != UnitKind.OTHER;
            units.add(new Unit(unitName(units.size(), kind), current, null));
        }
        int tp = llamaShaped && heads > 0 ? heads : 1;
        return new ModelIr(name, units, graph.valueCount(), tp);
    }

    private static String unitName(int index, UnitKind kind) {
        return "unit" + index + "." + kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static boolean feedsAdd(Graph graph, Op producer) {
        for (Op op : graph.ops()) {
            if (op instanceof Add a && (a.a().id() == producer.out().id() || a.b().id() == producer.out().id())) {
                return true;
            }
        }
        return false;
    }

    /** Recognises the Llama block shapes, the only ones tensor parallelism is defined for. */
    private static UnitKind kindOf(List<Op> ops) {
        String signature = signature(ops);
        return switch (signature) {
            case "E" -> UnitKind.EMBED;
            // Q, K and V projections either each followed by its rope or all three first, then the ropes.
            case "NMRMRMAMD", "NMMMRRAMD" -> UnitKind.ATTENTION;
            case "NMMSMD" -> UnitKind.FEED_FORWARD;
            case "LNM", "NM" -> UnitKind.HEAD;
            default -> UnitKind.OTHER;
        };
    }

    /**
     * The compiler lowers the Llama op set; the ops other architectures add (biases, per-head norms, GeGLU,
     * scaling, soft-capping, sliding-window attention) have no chip kernels yet, so such graphs are refused whole
     * rather than simulated with a step missing.
     */
    private static void requireLowerable(Graph graph, String name) {
        for (Op op : graph.ops()) {
            boolean lowerable = switch (op) {
                case Embed e -> true;
                case RmsNorm n -> true;
                case MatMul m -> true;
                case Rope r -> true;
                case Attention a -> a.window() == 0 && a.softcap() == 0;
                case SwiGlu s -> true;
                case Add a -> true;
                case LastRow l -> true;
                case BiasAdd b -> false;
                case HeadRmsNorm h -> false;
                case GeGlu g -> false;
                case Scale c -> false;
                case SoftCap c -> false;
            };
            if (!lowerable) {
                throw new Infer4jException("lpu-sim cannot compile " + name + " yet: it has no chip kernel for "
                        + op.getClass().getSimpleName() + (op instanceof Attention ? " with a sliding window or soft-capped scores" : "")
                        + "; it runs the llama architecture (embed, rmsnorm, matmul, rope, attention, swiglu, add)");
            }
        }
    }

    private static String signature(List<Op> ops) {
        StringBuilder sb = new StringBuilder();
        for (Op op : ops) {
            sb.append(switch (op) {
                case Embed e -> 'E';
                case RmsNorm n -> 'N';
                case MatMul m -> 'M';
                case Rope r -> 'R';
                case Attention a -> 'A';
                case SwiGlu s -> 'S';
                case Add a -> 'D';
                case LastRow l -> 'L';
                default -> throw new IllegalStateException("refused by requireLowerable: " + op);
            });
        }
        return sb.toString();
    }

    private static IrOp irOp(Op op, int index, Graph graph, Function<String, Tensor> weights, boolean feedsAdd) {
        int bytes = storageBytes(op, graph);
        int out = op.out().id();
        int width = op.out().width();
        boolean single = op.out().singleRow();
        int[] in = op.inputs().stream().mapToInt(v -> v.id()).toArray();
        return switch (op) {
            case Embed e -> {
                Tensor table = weights.apply(e.table());
                yield new IrOp(new Kernel.Embed(e.table(), e.out().width(), Math.toIntExact(table.rows()),
                        LpuPrecision.of(table.type())), Split.GATHERED_COLUMNS, out, width, bytes, in, single, index);
            }
            case RmsNorm n -> new IrOp(new Kernel.Norm(n.weight(), n.in().width()), Split.REPLICATED, out, width, bytes,
                    in, single, index);
            case MatMul m -> new IrOp(new Kernel.MatMul(m.weight(), m.in().width(), m.out().width(),
                    LpuPrecision.of(weights.apply(m.weight()).type())),
                    out == graph.output().id() ? Split.GATHERED_COLUMNS : feedsAdd ? Split.ROWS : Split.COLUMNS,
                    out, width, bytes, in, single, index);
            case Rope r -> new IrOp(new Kernel.Rope("rope." + index, r.heads(), r.headDim()), Split.HEADS, out, width,
                    bytes, in, single, index);
            case Attention a -> new IrOp(new Kernel.Attention("attention." + a.layer(), a.layer(), a.heads(),
                    a.kvHeads(), a.headDim()), Split.HEADS, out, width, bytes, in, single, index);
            case SwiGlu s -> new IrOp(new Kernel.Vector("swiglu." + index, "swiglu", s.out().width(), 2, 5),
                    Split.COLUMNS, out, width, bytes, in, single, index);
            case Add a -> new IrOp(new Kernel.Vector("add." + index, "add", a.out().width(), 2, 1), Split.REPLICATED,
                    out, width, bytes, in, single, index);
            case LastRow l -> new IrOp(new Kernel.LastRow("lastrow", l.in().width()), Split.REPLICATED, out, width,
                    bytes, in, true, index);
            default -> throw new IllegalStateException("refused by requireLowerable: " + op);
        };
    }

    /** A Llama-family decoder (mixture of experts when the shape says so) with every weight in {@code format}. */
    static ModelIr fromShape(ModelShape s, LpuPrecision format) {
        ShapeBuilder b = new ShapeBuilder();
        int x = b.op(new Kernel.Embed("token_embd.weight", s.dim(), s.vocab(), format), Split.GATHERED_COLUMNS,
                s.dim(), 4);
        b.closeUnit("embed", null);
        int q = s.heads() * s.headDim();
        int kv = s.kvHeads() * s.headDim();
        int d = s.dim();
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            int h = b.op(new Kernel.Norm(p + "attn_norm.weight", d), Split.REPLICATED, d, 2, x);
            int qv = b.op(new Kernel.MatMul(p + "attn_q.weight", d, q, format), Split.COLUMNS, q, 2, h);
            int qr = b.op(new Kernel.Rope(p + "rope_q", s.heads(), s.headDim()), Split.HEADS, q, 2, qv);
            int kvv = b.op(new Kernel.MatMul(p + "attn_k.weight", d, kv, format), Split.COLUMNS, kv, 2, h);
            int kr = b.op(new Kernel.Rope(p + "rope_k", s.kvHeads(), s.headDim()), Split.HEADS, kv, 2, kvv);
            int vv = b.op(new Kernel.MatMul(p + "attn_v.weight", d, kv, format), Split.COLUMNS, kv, 2, h);
            int att = b.op(new Kernel.Attention(p + "attention", l, s.heads(), s.kvHeads(), s.headDim()), Split.HEADS,
                    q, 2, qr, kr, vv);
            int o = b.op(new Kernel.MatMul(p + "attn_output.weight", q, d, format), Split.ROWS, d, 2, att);
            x = b.op(new Kernel.Vector(p + "attn_residual", "add", d, 2, 1), Split.REPLICATED, d, 4, x, o);
            b.closeUnit(p + "attention", null);

            int f = b.op(new Kernel.Norm(p + "ffn_norm.weight", d), Split.REPLICATED, d, 2, x);
            int ffnOut;
            if (s.isMixtureOfExperts()) {
                ffnOut = b.op(new Kernel.Router(p + "ffn_gate_inp.weight", d, s.experts(), format), Split.EXPERTS,
                        d, 2, f);
            } else {
                int gate = b.op(new Kernel.MatMul(p + "ffn_gate.weight", d, s.ffn(), format), Split.COLUMNS, s.ffn(), 2,
                        f);
                int up = b.op(new Kernel.MatMul(p + "ffn_up.weight", d, s.ffn(), format), Split.COLUMNS, s.ffn(), 2, f);
                int act = b.op(new Kernel.Vector(p + "swiglu", "swiglu", s.ffn(), 2, 5), Split.COLUMNS, s.ffn(), 2,
                        gate, up);
                ffnOut = b.op(new Kernel.MatMul(p + "ffn_down.weight", s.ffn(), d, format), Split.ROWS, d, 2, act);
            }
            x = b.op(new Kernel.Vector(p + "ffn_residual", "add", d, 2, 1), Split.REPLICATED, d, 4, x, ffnOut);
            Experts experts = s.isMixtureOfExperts()
                    ? new Experts(s.experts(), s.expertsPerToken(), d, s.ffn(), format) : null;
            b.closeUnit(p + (experts != null ? "moe" : "ffn"), experts);
        }
        int last = b.opSingle(new Kernel.LastRow("lastrow", d), Split.REPLICATED, d, 4, x);
        int n = b.opSingle(new Kernel.Norm("output_norm.weight", d), Split.REPLICATED, d, 2, last);
        b.opSingle(new Kernel.MatMul("output.weight", d, s.vocab(), format), Split.GATHERED_COLUMNS, s.vocab(), 4, n);
        b.closeUnit("head", null);
        return new ModelIr(s.name(), b.units, b.next, gcd(s.heads(), s.kvHeads()));
    }

    /** Hands out value ids while a shape is turned into units. */
    private static final class ShapeBuilder {
        private final List<Unit> units = new ArrayList<>();
        private List<IrOp> ops = new ArrayList<>();
        private int next;

        int op(Kernel kernel, Split split, int width, int bytes, int... in) {
            int out = next++;
            ops.add(new IrOp(kernel, split, out, width, bytes, in, false, -1));
            return out;
        }

        int opSingle(Kernel kernel, Split split, int width, int bytes, int... in) {
            int out = next++;
            ops.add(new IrOp(kernel, split, out, width, bytes, in, true, -1));
            return out;
        }

        void closeUnit(String name, Experts experts) {
            units.add(new Unit(name, ops, experts));
            ops = new ArrayList<>();
        }
    }
}
