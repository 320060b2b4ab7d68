package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lays a model over the chips it is given. Each pipeline stage is a group of {@code t} chips of one node (tensor
 * parallel, Megatron style: column-split matrices, then row-split ones whose partial sums are all-reduced); the
 * stages take consecutive residual blocks balanced by SRAM; every chip given is used, up to one block per stage.
 * Experts of a mixture live on chips of their own. Whatever does not fit in SRAM is an error that says how many
 * chips the model needs.
 */
final class Partitioner {
    private final ModelIr ir;
    private final LpuConfig config;
    private final int chips;
    private final int kvPositions;
    private final int kvBytes;
    private final int maxRows;
    private final long weightCapacity;
    /** Bytes per element of every value: the graph's, and those this partitioner adds. */
    private final Map<Integer, Integer> valueBytes = new HashMap<>();
    private int nextValue;

    private Partitioner(ModelIr ir, LpuConfig config, int chips, int kvPositions, int kvBytes, int maxRows) {
        this.ir = ir;
        this.config = config;
        this.chips = chips;
        this.kvPositions = kvPositions;
        this.kvBytes = kvBytes;
        this.maxRows = maxRows;
        this.weightCapacity = config.weightSramBytes();
        this.nextValue = ir.valueCount();
        for (ModelIr.Unit u : ir.units()) {
            for (ModelIr.IrOp op : u.ops()) {
                valueBytes.put(op.out(), op.outBytes());
            }
        }
    }

    private int newValue(int bytes) {
        valueBytes.put(nextValue, bytes);
        return nextValue++;
    }

    /** A segment of {@code program}, with the bytes of the values it finds in SRAM. */
    private Segment segment(String name, int stage, int chips, int firstChip, boolean experts, List<Step> program) {
        Map<Integer, Integer> resident = new HashMap<>();
        java.util.Set<Integer> written = new java.util.HashSet<>();
        for (Step s : program) {
            for (int v : s.in()) {
                if (!written.contains(v)) {
                    resident.put(v, valueBytes.get(v));
                }
            }
            written.add(s.out());
        }
        return new Segment(name, stage, chips, firstChip, experts, program, resident);
    }

    /**
     * Maps {@code ir} on {@code chips} chips, reserving SRAM for a KV cache of {@code kvPositions} positions of
     * {@code kvBytes} per element and activations of up to {@code maxRows} tokens.
     */
    static Mapping map(ModelIr ir, LpuConfig config, int chips, int kvPositions, int kvBytes, int maxRows) {
        if (chips < 1 || chips > config.maxChips()) {
            throw new Infer4jException("the LPU system must have 1 to " + config.maxChips() + " chips, got " + chips);
        }
        return new Partitioner(ir, config, chips, kvPositions, kvBytes, maxRows).map();
    }

    private Mapping map() {
        ModelIr.Experts experts = experts();
        int perExpert = experts == null ? 0 : (int) Math.ceilDiv(experts.bytesPerExpert(), weightCapacity);
        int expertChips = mixtureUnits() * (experts == null ? 0 : experts.experts() * perExpert);
        int attentionChips = chips - expertChips;
        if (attentionChips < 1) {
            throw tooFew(expertChips, perExpert);
        }
        int t = tensorParallel(attentionChips);
        List<ModelIr.Unit> units = ir.units();
        int stageCount = Math.min(attentionChips / t, units.size());
        long[] load = new long[units.size()];
        for (int u = 0; u < units.size(); u++) {
            load[u] = weights(units.get(u), t) + kv(units.get(u), t);
        }
        List<int[]> stages = balance(load, stageCount);
        List<Segment> segments = new ArrayList<>();
        List<Mapping.ChipMemory> memory = new ArrayList<>();
        Map<Integer, int[]> useRange = valueUse();
        int expertBase = t * stages.size();
        int mixture = 0;
        for (int s = 0; s < stages.size(); s++) {
            int[] range = stages.get(s);
            int firstChip = s * t;
            List<Step> current = new ArrayList<>();
            long stageWeights = 0;
            long stageKv = 0;
            long stageActivations = 0;
            for (int u = range[0]; u < range[1]; u++) {
                ModelIr.Unit unit = units.get(u);
                stageWeights += weights(unit, t);
                stageKv += kv(unit, t);
                for (ModelIr.IrOp op : unit.ops()) {
                    if (op.split() != ModelIr.Split.EXPERTS) {
                        current.addAll(localize(op, t));
                        continue;
                    }
                    int expertFirst = expertBase + mixture++ * unit.experts().experts() * perExpert;
                    int gates = newValue(2);
                    current.add(new Step(op.kernel(), gates, 2, op.in(), op.singleRow(), -1));
                    current.add(new Step(new Kernel.Collective(unit.name() + ".dispatch", Kernel.Pattern.DISPATCH,
                            Math.ceilDiv(op.outWidth(), t), 2, unit.experts().experts() * perExpert,
                            hops(firstChip, expertFirst), leavesNode(firstChip, expertFirst)), -1, 2,
                            new int[] {op.in()[0]}, op.singleRow(), -1));
                    stageActivations = Math.max(stageActivations, activations(current));
                    segments.add(segment("stage " + s + " to " + unit.name(), s, t, firstChip, false, current));
                    List<Step> expertProgram = expertProgram(unit, op, perExpert, t, firstChip, expertFirst);
                    long expertWeights = 0;
                    for (Step st : expertProgram) {
                        expertWeights += st.kernel().weightBytes();
                    }
                    memory.add(new Mapping.ChipMemory(unit.name() + " experts", unit.experts().experts() * perExpert,
                            expertWeights, 0, activations(expertProgram), 0));
                    segments.add(segment(unit.name() + " experts", s, unit.experts().experts() * perExpert,
                            expertFirst, true, expertProgram));
                    current = new ArrayList<>();
                    int[] inputs = new int[unit.experts().experts()];
                    for (int e = 0; e < inputs.length; e++) {
                        inputs[e] = newValue(2);
                    }
                    current.add(new Step(new Kernel.Vector(unit.name() + ".combine", "combine", op.outWidth(),
                            inputs.length, inputs.length - 1), op.out(), op.outBytes(), inputs, op.singleRow(), -1));
                }
            }
            if (s + 1 < stages.size()) {
                int next = (s + 1) * t;
                for (Map.Entry<Integer, int[]> e : useRange.entrySet()) {
                    int[] use = e.getValue();
                    if (use[0] < range[1] && use[1] >= range[1]) {
                        current.add(new Step(new Kernel.Collective("stage" + s + ".send", Kernel.Pattern.SEND,
                                Math.ceilDiv(use[2], t), use[3], t, hops(firstChip, next), leavesNode(firstChip, next)),
                                -1, use[3], new int[] {e.getKey()}, use[4] == 1, -1));
                    }
                }
            }
            stageActivations = Math.max(stageActivations, activations(current));
            segments.add(segment(segments.isEmpty() || segments.getLast().stage() != s ? "stage " + s
                    : "stage " + s + " (rest)", s, t, firstChip, false, current));
            memory.add(new Mapping.ChipMemory("stage " + s, t, stageWeights, stageKv, stageActivations,
                    kvPerPosition(units.subList(range[0], range[1]), t)));
        }
        Mapping mapping = new Mapping(ir, t, stages, perExpert, expertChips, chips, segments, memory);
        for (Mapping.ChipMemory m : memory) {
            if (m.weights() > weightCapacity || m.total() > config.sramBytes()) {
                throw tooFew(expertChips, perExpert);
            }
        }
        return mapping;
    }

    private ModelIr.Experts experts() {
        for (ModelIr.Unit u : ir.units()) {
            if (u.experts() != null) {
                return u.experts();
            }
        }
        return null;
    }

    private int mixtureUnits() {
        int n = 0;
        for (ModelIr.Unit u : ir.units()) {
            if (u.experts() != null) {
                n++;
            }
        }
        return n;
    }

    /** The widest split that fits a node, the chips available and the model's heads. */
    private int tensorParallel(int available) {
        int t = Integer.highestOneBit(Math.min(config.chipsPerNode(), available));
        while (t > 1 && !ir.allowsTensorParallel(t)) {
            t /= 2;
        }
        return t;
    }

    private int hops(int fromChip, int toChip) {
        int a = fromChip / config.chipsPerNode();
        int b = toChip / config.chipsPerNode();
        if (a == b || a / config.nodesPerRack() == b / config.nodesPerRack()) {
            return 1;
        }
        return 2;
    }

    private boolean leavesNode(int fromChip, int toChip) {
        return fromChip / config.chipsPerNode() != toChip / config.chipsPerNode();
    }

    // Splitting ops over a tensor-parallel group.

    private static Kernel local(ModelIr.IrOp op, int t) {
        Kernel k = op.kernel();
        return switch (op.split()) {
            case REPLICATED, EXPERTS -> k;
            case COLUMNS, GATHERED_COLUMNS -> switch (k) {
                case Kernel.MatMul m -> new Kernel.MatMul(m.name(), m.in(), Math.ceilDiv(m.out(), t), m.format());
                case Kernel.Vector v -> new Kernel.Vector(v.name(), v.kind(), Math.ceilDiv(v.width(), t), v.inputs(),
                        v.aluOps());
                case Kernel.Embed e -> new Kernel.Embed(e.name(), Math.ceilDiv(e.width(), t), e.vocab(), e.format());
                default -> throw new IllegalStateException(k + " cannot be split by columns");
            };
            case ROWS -> {
                Kernel.MatMul m = (Kernel.MatMul) k;
                yield new Kernel.MatMul(m.name(), Math.ceilDiv(m.in(), t), m.out(), m.format());
            }
            case HEADS -> switch (k) {
                case Kernel.Rope r -> new Kernel.Rope(r.name(), r.heads() / t, r.headDim());
                case Kernel.Attention a -> new Kernel.Attention(a.name(), a.layer(), a.heads() / t, a.kvHeads() / t,
                        a.headDim());
                default -> throw new IllegalStateException(k + " cannot be split by heads");
            };
        };
    }

    /** The steps one chip of a group of {@code t} runs for {@code op}, transfers included. */
    private List<Step> localize(ModelIr.IrOp op, int t) {
        Kernel k = local(op, t);
        boolean reduce = op.split() == ModelIr.Split.ROWS && t > 1;
        boolean gather = op.split() == ModelIr.Split.GATHERED_COLUMNS && t > 1;
        if (!reduce && !gather) {
            return List.of(new Step(k, op.out(), op.outBytes(), op.in(), op.singleRow(), op.graphOp()));
        }
        int partial = newValue(4);
        Kernel.Pattern pattern = reduce ? Kernel.Pattern.ALL_REDUCE : Kernel.Pattern.ALL_GATHER;
        Kernel.Collective c = new Kernel.Collective(op.kernel().name() + "." + pattern.name().toLowerCase(Locale.ROOT),
                pattern, op.outWidth(), 4, t, 1, false);
        return List.of(new Step(k, partial, 4, op.in(), op.singleRow(), op.graphOp()),
                new Step(c, op.out(), op.outBytes(), new int[] {partial}, op.singleRow(), -1));
    }

    private List<Step> expertProgram(ModelIr.Unit unit, ModelIr.IrOp op, int perExpert, int t, int attentionChip,
                                     int expertChip) {
        ModelIr.Experts e = unit.experts();
        int share = Math.ceilDiv(e.ffn(), perExpert);
        boolean single = op.singleRow();
        String p = unit.name() + ".expert.";
        int x = newValue(2);
        int gate = newValue(2);
        int up = newValue(2);
        int act = newValue(2);
        int y = newValue(2);
        int scaled = newValue(2);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(new Kernel.MatMul(p + "gate", e.dim(), share, e.format()), gate, 2, new int[] {x}, single, -1));
        steps.add(new Step(new Kernel.MatMul(p + "up", e.dim(), share, e.format()), up, 2, new int[] {x}, single, -1));
        steps.add(new Step(new Kernel.Vector(p + "swiglu", "swiglu", share, 2, 5), act, 2, new int[] {gate, up}, single,
                -1));
        Kernel.MatMul down = new Kernel.MatMul(p + "down", share, e.dim(), e.format());
        if (perExpert > 1) {
            int partial = newValue(4);
            steps.add(new Step(down, partial, 4, new int[] {act}, single, -1));
            steps.add(new Step(new Kernel.Collective(p + "allreduce", Kernel.Pattern.ALL_REDUCE, e.dim(), 4, perExpert,
                    1, false), y, 2, new int[] {partial}, single, -1));
        } else {
            steps.add(new Step(down, y, 2, new int[] {act}, single, -1));
        }
        steps.add(new Step(new Kernel.Vector(p + "gate_scale", "gate", e.dim(), 1, 1), scaled, 2, new int[] {y},
                single, -1));
        steps.add(new Step(new Kernel.Collective(unit.name() + ".combine", Kernel.Pattern.COMBINE, e.dim(), 2, t,
                hops(expertChip, attentionChip), leavesNode(expertChip, attentionChip)), -1, 2, new int[] {scaled},
                single, -1));
        return steps;
    }

    // SRAM.

    private long weights(ModelIr.Unit unit, int t) {
        long bytes = 0;
        for (ModelIr.IrOp op : unit.ops()) {
            bytes += local(op, t).weightBytes();
        }
        return bytes;
    }

    private long kv(ModelIr.Unit unit, int t) {
        long bytes = 0;
        for (ModelIr.IrOp op : unit.ops()) {
            if (local(op, t) instanceof Kernel.Attention a) {
                bytes += a.kvBytes(kvPositions, kvBytes);
            }
        }
        return bytes;
    }

    private static long kvPerPosition(List<ModelIr.Unit> units, int t) {
        long bytes = 0;
        for (ModelIr.Unit u : units) {
            for (ModelIr.IrOp op : u.ops()) {
                if (local(op, t) instanceof Kernel.Attention a) {
                    bytes += a.kvBytes(1, 1);
                }
            }
        }
        return bytes;
    }

    /** Peak bytes of values alive at once while {@code program} runs on {@code maxRows} tokens. */
    private long activations(List<Step> program) {
        Map<Integer, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < program.size(); i++) {
            for (int v : program.get(i).in()) {
                lastUse.put(v, i);
            }
        }
        Map<Integer, Long> live = new HashMap<>();
        long peak = 0;
        for (int i = 0; i < program.size(); i++) {
            Step s = program.get(i);
            if (s.out() >= 0) {
                live.put(s.out(), (long) outWidth(s.kernel()) * s.outBytes() * (s.singleRow() ? 1 : maxRows));
            }
            long sum = 0;
            for (long b : live.values()) {
                sum += b;
            }
            peak = Math.max(peak, sum);
            for (int v : s.in()) {
                if (lastUse.get(v) == i) {
                    live.remove(v);
                }
            }
        }
        return peak;
    }

    static int outWidth(Kernel k) {
        return switch (k) {
            case Kernel.Embed e -> e.width();
            case Kernel.Norm n -> n.width();
            case Kernel.MatMul m -> m.out();
            case Kernel.Rope r -> r.heads() * r.headDim();
            case Kernel.Attention a -> a.heads() * a.headDim();
            case Kernel.Vector v -> v.width();
            case Kernel.LastRow l -> l.width();
            case Kernel.Router r -> r.experts();
            case Kernel.Collective c -> c.width();
        };
    }

    /** For each value: first unit that writes it, last unit that reads it, width, bytes, single row (1/0). */
    private Map<Integer, int[]> valueUse() {
        Map<Integer, int[]> use = new java.util.TreeMap<>();
        List<ModelIr.Unit> units = ir.units();
        for (int u = 0; u < units.size(); u++) {
            for (ModelIr.IrOp op : units.get(u).ops()) {
                use.put(op.out(), new int[] {u, -1, op.outWidth(), op.outBytes(), op.singleRow() ? 1 : 0});
            }
        }
        for (int u = 0; u < units.size(); u++) {
            for (ModelIr.IrOp op : units.get(u).ops()) {
                for (int v : op.in()) {
                    int[] r = use.get(v);
                    if (r != null) {
                        r[1] = Math.max(r[1], u);
                    }
                }
            }
        }
        return use;
    }

    /**
     * Splits units into {@code count} consecutive stages, keeping the largest stage as small as possible: the
     * smallest cap that a greedy pass fits in {@code count} stages, then the heaviest stages split further until
     * there are {@code count}.
     */
    static List<int[]> balance(long[] load, int count) {
        long lo = 0;
        long hi = 0;
        for (long l : load) {
            lo = Math.max(lo, l);
            hi += l;
        }
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (greedy(load, mid).size() <= count) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        List<int[]> groups = greedy(load, lo);
        while (groups.size() < count) {
            int heaviest = -1;
            long max = -1;
            for (int g = 0; g < groups.size(); g++) {
                int[] r = groups.get(g);
                long sum = 0;
                for (int u = r[0]; u < r[1]; u++) {
                    sum += load[u];
                }
                if (r[1] - r[0] > 1 && sum > max) {
                    max = sum;
                    heaviest = g;
                }
            }
            int[] r = groups.get(heaviest);
            long half = 0;
            int cut = r[0] + 1;
            for (int u = r[0]; u < r[1] - 1; u++) {
                half += load[u];
                cut = u + 1;
                if (2 * half >= max) {
                    break;
                }
            }
            groups.set(heaviest, new int[] {r[0], cut});
            groups.add(heaviest + 1, new int[] {cut, r[1]});
        }
        return groups;
    }

    private static List<int[]> greedy(long[] load, long cap) {
        List<int[]> groups = new ArrayList<>();
        int start = 0;
        long sum = 0;
        for (int u = 0; u < load.length; u++) {
            if (u > start && sum + load[u] > cap) {
                groups.add(new int[] {start, u});
                start = u;
                sum = 0;
            }
            sum += load[u];
        }
        groups.add(new int[] {start, load.length});
        return groups;
    }

    // Errors.

    private Infer4jException tooFew(int expertChips, int perExpert) {
        long total = 0;
        for (ModelIr.Unit u : ir.units()) {
            total += weights(u, 1);
        }
        ModelIr.Experts e = experts();
        if (e != null) {
            total += mixtureUnits() * e.experts() * e.bytesPerExpert();
        }
        int needed = minimumChips(expertChips);
        return new Infer4jException(ir.name() + " does not fit on " + chips + " chip" + (chips == 1 ? "" : "s") + ": "
                + bytes(total) + " of weights" + (kvPositions > 0 ? " plus a KV cache of " + kvPositions + " positions" : "")
                + ", " + bytes(config.sramBytes()) + " of SRAM per chip (" + bytes(weightCapacity) + " for weights)"
                + (needed > 0 ? "; it needs at least " + needed + " chips" : "; one block does not fit even split over "
                + config.chipsPerNode() + " chips")
                + (perExpert > 0 ? " (" + expertChips + " of them for experts)" : ""));
    }

    private static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.2f MiB", b / 1048576.0);
    }

    /** The fewest chips any tensor-parallel degree fits the model on, or 0 when a block never fits. */
    private int minimumChips(int expertChips) {
        int best = 0;
        for (int t = 1; t <= config.chipsPerNode(); t *= 2) {
            if (!ir.allowsTensorParallel(t)) {
                continue;
            }
            int stages = 1;
            long weights = 0;
            long total = 0;
            boolean fits = true;
            for (ModelIr.Unit u : ir.units()) {
                long w = weights(u, t);
                long all = w + kv(u, t);
                if (w > weightCapacity || all > config.sramBytes()) {
                    fits = false;
                    break;
                }
                if (weights + w > weightCapacity || total + all > config.sramBytes()) {
                    stages++;
                    weights = 0;
                    total = 0;
                }
                weights += w;
                total += all;
            }
            if (fits && (best == 0 || t * stages + expertChips < best)) {
                best = t * stages + expertChips;
            }
        }
        return best;
    }
}
