package io.github.infer4j.backend.lpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a chip program (its {@link Step}s) into instructions on the slices of one chip for a batch of {@code rows}
 * tokens and a KV cache of {@code kvLength} positions, and places them with a {@link ChipScheduler}. Each kernel
 * reads its inputs from SRAM onto streams, transforms them on the way (matrix planes, vector ALUs, switch units)
 * and writes the result back, one vector per SRAM port per cycle.
 *
 * <p>Weights sit in the slices of the plane that uses them, so their reads are placed exactly. Activations and the
 * KV cache are modelled by their ports: a read of {@code n} vectors a cycle takes {@code n} free ports among the
 * activation (or KV) slices, as if the compiler had spread the rows so that reads issued together never share a
 * slice. docs/LPU.md describes each kernel's lowering.
 */
final class Lowering {
    private final LpuConfig config;
    private final Floorplan plan;
    private final ChipScheduler sched;
    private final int batch;
    private final int kvLength;
    private final int kvBytes;
    private final int lanes;
    private final int[] valueReads;
    private final int[] valueWrites;
    private final int[] kvReads;
    private final int[] kvWrites;
    private final int[] alus;
    private final int[] planeCursor;
    private final List<List<Integer>> planeMatmuls = new ArrayList<>();
    private final Map<Integer, Value> values = new HashMap<>();
    private final Map<Value, Value[]> prepared = new HashMap<>();
    private final Map<Integer, Value> caches = new HashMap<>();
    private int nextTemp;

    private Lowering(LpuConfig config, int batch, int kvLength, int kvBytes) {
        this.config = config;
        this.plan = new Floorplan(config);
        this.sched = new ChipScheduler(config, plan);
        this.batch = batch;
        this.kvLength = kvLength;
        this.kvBytes = kvBytes;
        this.lanes = config.vectorBytes();
        int[] act = plan.activationSlices();
        int[] kv = plan.kvSlices();
        this.valueReads = ports(act, true);
        this.valueWrites = ports(act, false);
        this.kvReads = ports(kv, true);
        this.kvWrites = ports(kv, false);
        this.alus = new int[plan.alus()];
        for (int a = 0; a < alus.length; a++) {
            alus[a] = plan.vxm(a);
        }
        this.planeCursor = new int[plan.planes()];
        for (int p = 0; p < plan.planes(); p++) {
            planeMatmuls.add(new ArrayList<>());
        }
    }

    private int[] ports(int[] slices, boolean read) {
        int[] u = new int[slices.length];
        for (int i = 0; i < slices.length; i++) {
            u[i] = read ? plan.memRead(slices[i]) : plan.memWrite(slices[i]);
        }
        return u;
    }

    /**
     * Schedules {@code program} and checks the result. The values it reads but does not write are in SRAM when it
     * starts (what an earlier program or another chip left there), at {@code residentBytes} per element.
     */
    static ChipSchedule schedule(List<Step> program, Map<Integer, Integer> residentBytes, LpuConfig config, int rows,
                                 int kvLength, int kvBytes) {
        Lowering l = new Lowering(config, rows, kvLength, kvBytes);
        residentBytes.forEach((id, bytes) -> l.values.put(id, new Value(id, bytes)));
        for (int i = 0; i < program.size(); i++) {
            l.sched.beginStep(i);
            l.lower(program.get(i));
        }
        List<Instr> instrs = l.sched.instructions();
        ScheduleChecker.check(instrs, l.plan, config);
        return new ChipSchedule(program, instrs, l.plan, config);
    }

    private void lower(Step s) {
        int rows = s.singleRow() ? 1 : batch;
        switch (s.kernel()) {
            case Kernel.Embed e -> embed(s, e, rows);
            case Kernel.Norm n -> norm(s, n, rows);
            case Kernel.MatMul m -> matmul(m, value(s.input(0)), value(s.out(), s.outBytes()), rows);
            case Kernel.Rope r -> rope(s, r, rows);
            case Kernel.Attention a -> attention(s, a, rows);
            case Kernel.Vector v -> vector(s, v, rows);
            case Kernel.LastRow l -> lastRow(s, l);
            case Kernel.Router r -> router(s, r, rows);
            case Kernel.Collective c -> collective(s, c, rows);
        }
    }

    /** A value of {@code bytes} per element; {@code lastWrite} is the write that completes last (-1: resident). */
    private static final class Value {
        final int id;
        final int bytes;
        int lastWrite = -1;

        Value(int id, int bytes) {
            this.id = id;
            this.bytes = bytes;
        }
    }

    private Value value(int id) {
        Value v = values.get(id);
        if (v == null) {
            throw new IllegalStateException("value " + id + " is read before it is written and is not resident");
        }
        return v;
    }

    private Value value(int id, int bytes) {
        return values.computeIfAbsent(id, k -> new Value(k, bytes));
    }

    /** A value only the lowering knows of (scales, partial sums); numbered after the program's own. */
    private Value temp(int bytes) {
        return new Value(Integer.MAX_VALUE / 2 + nextTemp++, bytes);
    }

    private long ready(int instr) {
        return sched.get(instr).ready(config.memWriteLatency());
    }

    private int chunks(int width) {
        return Math.ceilDiv(width, lanes);
    }

    /** A bundle that records which of its members write which values, so later readers wait for them. */
    private final class Emit {
        final ChipScheduler.Bundle b = sched.bundle();
        final List<Integer> writes = new ArrayList<>();
        final List<Value> written = new ArrayList<>();

        /** Reads {@code v}, {@code vectors} a cycle (at most one per byte of its elements), for {@code cycles}. */
        int read(Value v, int vectors, int cycles) {
            int ports = Math.min(vectors, v.bytes);
            int m = b.add(Opcode.READ, plan.memPos(plan.activationSlices()[0]), valueReads, ports, cycles,
                    config.memReadLatency(), (long) cycles * ports * lanes);
            b.after(m, v.lastWrite, false);
            b.moves(m, v.id);
            return m;
        }

        int readKv(Value cache, int cycles) {
            int m = b.add(Opcode.READ, plan.memPos(plan.kvSlices()[0]), kvReads, kvReads.length, cycles,
                    config.memReadLatency(), (long) cycles * kvReads.length * lanes);
            b.after(m, cache.lastWrite, false);
            b.moves(m, cache.id);
            return m;
        }

        /** Reads rows of an embedding table from the weight slices of plane 0. */
        int readTable(int vectors, int cycles) {
            int[] group = plan.weightSlices(0);
            int[] units = new int[vectors];
            for (int i = 0; i < vectors; i++) {
                units[i] = plan.memRead(group[i % group.length]);
            }
            return b.add(Opcode.READ, plan.memPos(group[0]), units, cycles, config.memReadLatency(),
                    (long) cycles * vectors * lanes);
        }

        /**
         * Reads small constants (norm gains, rope angles, int8 row scales), which the compiler keeps in the KV
         * slices so that they neither hold up weight installs nor take activation ports.
         */
        int readConstant(int vectors, int cycles) {
            return b.add(Opcode.READ, plan.memPos(plan.kvSlices()[0]), kvReads, Math.min(vectors, kvReads.length),
                    cycles, config.memReadLatency(), (long) cycles * vectors * lanes);
        }

        int write(Value v, int vectors, int cycles) {
            int ports = Math.min(vectors, v.bytes);
            int m = b.add(Opcode.WRITE, plan.memPos(plan.activationSlices()[0]), valueWrites, ports, cycles, 0,
                    (long) cycles * ports * lanes);
            b.moves(m, v.id);
            writes.add(m);
            written.add(v);
            return m;
        }

        int writeKv(Value cache, int vectors, int cycles) {
            int m = b.add(Opcode.WRITE, plan.memPos(plan.kvSlices()[0]), kvWrites, vectors, cycles, 0,
                    (long) cycles * vectors * lanes);
            b.moves(m, cache.id);
            writes.add(m);
            written.add(cache);
            return m;
        }

        int vxm(int ops, int cycles) {
            int count = Math.min(ops, alus.length);
            return b.add(Opcode.VECTOR, plan.vxmPos(), alus, count, cycles, config.vxmLatency() * Math.max(1, ops),
                    (long) cycles * count * lanes);
        }

        /** A cross-lane reduction (sum or max over a vector) on a switch unit: a shift-and-combine tree. */
        int reduce(int cycles) {
            int steps = 32 - Integer.numberOfLeadingZeros(lanes - 1);
            return b.add(Opcode.SHIFT, plan.sxmPos(Floorplan.WEST), new int[] {plan.sxm(Floorplan.WEST)}, cycles,
                    steps * (config.sxmLatency() + config.vxmLatency()), (long) cycles * lanes);
        }

        int permute(int cycles) {
            return b.add(Opcode.SHIFT, plan.sxmPos(Floorplan.EAST), new int[] {plan.sxm(Floorplan.EAST)}, cycles,
                    config.sxmLatency(), (long) cycles * lanes);
        }

        void stream(int producer, int consumer, int streams) {
            b.stream(producer, consumer, streams);
        }

        int[] place() {
            int[] ids = b.place();
            for (int i = 0; i < writes.size(); i++) {
                Value v = written.get(i);
                int id = ids[writes.get(i)];
                // Readers wait for the write that completes last, which need not be the last one emitted.
                if (v.lastWrite < 0 || ready(id) >= ready(v.lastWrite)) {
                    v.lastWrite = id;
                }
            }
            return ids;
        }
    }

    /** Reads each input's row chunks, applies {@code ops} chained ALU operations, writes {@code out}. */
    private void elementwise(List<Value> inputs, int width, int ops, Value out, int rows) {
        int cycles = rows * chunks(width);
        Emit e = new Emit();
        int alu = e.vxm(ops, cycles);
        for (Value in : inputs) {
            e.stream(e.read(in, in.bytes, cycles), alu, in.bytes);
        }
        e.stream(alu, e.write(out, out.bytes, cycles), out.bytes);
        e.place();
    }

    /** Sums many inputs two at a time into an fp32 accumulator (at most two values are read together). */
    private void sum(List<Value> inputs, int width, Value out, int rows) {
        Value acc = inputs.getFirst();
        for (int i = 1; i < inputs.size(); i++) {
            Value next = i == inputs.size() - 1 ? out : temp(4);
            elementwise(List.of(acc, inputs.get(i)), width, 1, next, rows);
            acc = next;
        }
    }

    // Kernels.

    private void embed(Step s, Kernel.Embed k, int rows) {
        Value out = value(s.out(), s.outBytes());
        int cycles = rows * chunks(k.width());
        Emit e = new Emit();
        int gather = e.readTable(k.format().bytes(), cycles);
        int alu = e.vxm(k.format() == LpuPrecision.INT8 ? 2 : 1, cycles);
        e.stream(gather, alu, k.format().bytes());
        e.stream(alu, e.write(out, out.bytes, cycles), out.bytes);
        e.place();
    }

    private void norm(Step s, Kernel.Norm k, int rows) {
        Value in = value(s.input(0));
        Value out = value(s.out(), s.outBytes());
        Value scale = temp(1);
        int cycles = rows * chunks(k.width());
        Emit sum = new Emit();
        int square = sum.vxm(2, cycles);
        sum.stream(sum.read(in, in.bytes, cycles), square, in.bytes);
        int tree = sum.reduce(rows);
        sum.stream(square, tree, 1);
        int rsqrt = sum.vxm(2, rows);
        sum.stream(tree, rsqrt, 1);
        sum.stream(rsqrt, sum.write(scale, 1, rows), 1);
        sum.place();

        Emit apply = new Emit();
        int mul = apply.vxm(2, cycles);
        apply.stream(apply.read(in, in.bytes, cycles), mul, in.bytes);
        apply.stream(apply.read(scale, 1, cycles), mul, 1);
        apply.stream(apply.readConstant(4, cycles), mul, 4);
        apply.stream(mul, apply.write(out, out.bytes, cycles), out.bytes);
        apply.place();
    }

    /** Pairs are swapped on a switch unit into a temporary, then combined with the angles' cosines and sines. */
    private void rope(Step s, Kernel.Rope k, int rows) {
        Value in = value(s.input(0));
        Value out = value(s.out(), s.outBytes());
        Value swapped = temp(in.bytes);
        int cycles = rows * chunks(k.heads() * k.headDim());
        Emit swap = new Emit();
        int permute = swap.permute(cycles);
        swap.stream(swap.read(in, in.bytes, cycles), permute, in.bytes);
        swap.stream(permute, swap.write(swapped, swapped.bytes, cycles), swapped.bytes);
        swap.place();

        Emit rotate = new Emit();
        int alu = rotate.vxm(3, cycles);
        rotate.stream(rotate.read(in, in.bytes, cycles), alu, in.bytes);
        rotate.stream(rotate.read(swapped, swapped.bytes, cycles), alu, swapped.bytes);
        rotate.stream(rotate.readConstant(4, cycles), alu, 4);
        rotate.stream(alu, rotate.write(out, out.bytes, cycles), out.bytes);
        rotate.place();
    }

    /**
     * Stores the batch's keys and values, then scores every cached position against every query head and sums the
     * values weighted by the softmax, on the vector ALUs, the cache streaming from every KV slice at once.
     */
    private void attention(Step s, Kernel.Attention k, int rows) {
        Value q = value(s.input(0));
        Value out = value(s.out(), s.outBytes());
        Value cache = caches.computeIfAbsent(k.layer(), layer -> temp(kvBytes));
        int kvWidth = k.kvHeads() * k.headDim();
        int storeCycles = rows * chunks(kvWidth);
        for (int input = 1; input <= 2; input++) {
            Value v = value(s.input(input));
            Emit store = new Emit();
            int r = store.read(v, v.bytes, storeCycles);
            store.stream(r, store.writeKv(cache, v.bytes, storeCycles), v.bytes);
            store.place();
        }
        long kvVectors = Math.ceilDiv((long) kvLength * kvWidth * kvBytes, lanes);
        int readCycles = (int) Math.max(1, Math.ceilDiv(kvVectors, kvReads.length));
        long macVectors = Math.ceilDiv((long) rows * k.heads() * kvLength * k.headDim(), lanes);
        int macAlus = alus.length / 2;
        int macCycles = (int) Math.max(readCycles, Math.ceilDiv(macVectors, macAlus / 2));
        int scoreCycles = (int) Math.max(1, Math.ceilDiv((long) rows * k.heads() * kvLength, lanes));
        int outCycles = rows * chunks(k.heads() * k.headDim());
        Value probs = temp(4);

        Emit scores = new Emit();
        int qk = scores.vxm(macAlus, macCycles);
        scores.stream(scores.readKv(cache, readCycles), qk, kvReads.length);
        scores.stream(scores.read(q, q.bytes, macCycles), qk, q.bytes);
        int tree = scores.reduce(scoreCycles);
        scores.stream(qk, tree, 1);
        int softmax = scores.vxm(4, scoreCycles);
        scores.stream(tree, softmax, 1);
        scores.stream(softmax, scores.write(probs, probs.bytes, scoreCycles), probs.bytes);
        scores.place();

        Emit mix = new Emit();
        int pv = mix.vxm(macAlus, macCycles);
        mix.stream(mix.readKv(cache, readCycles), pv, kvReads.length);
        mix.stream(mix.read(probs, probs.bytes, macCycles), pv, probs.bytes);
        int total = mix.reduce(outCycles);
        mix.stream(pv, total, 1);
        mix.stream(total, mix.write(out, out.bytes, outCycles), 1);
        mix.place();
    }

    private void vector(Step s, Kernel.Vector k, int rows) {
        List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < s.inputCount(); i++) {
            inputs.add(value(s.input(i)));
        }
        Value out = value(s.out(), s.outBytes());
        if (inputs.size() > 2) {
            sum(inputs, k.width(), out, rows);
        } else {
            elementwise(inputs, k.width(), k.aluOps(), out, rows);
        }
    }

    private void lastRow(Step s, Kernel.LastRow k) {
        Value in = value(s.input(0));
        Value out = value(s.out(), s.outBytes());
        int cycles = chunks(k.width());
        Emit e = new Emit();
        int r = e.read(in, in.bytes, cycles);
        e.stream(r, e.write(out, out.bytes, cycles), in.bytes);
        e.place();
    }

    private void router(Step s, Kernel.Router k, int rows) {
        Value logits = temp(2);
        matmul(new Kernel.MatMul(k.name(), k.dim(), k.experts(), k.format()), value(s.input(0)), logits, rows);
        Value gates = value(s.out(), s.outBytes());
        Emit e = new Emit();
        int soft = e.vxm(4, rows);
        e.stream(e.read(logits, 1, rows), soft, 1);
        int topk = e.reduce(rows);
        e.stream(soft, topk, 1);
        e.stream(topk, e.write(gates, 1, rows), 1);
        e.place();
    }

    // Matrix multiplication.

    /**
     * Weights are cut into tiles the size of a plane ({@code side x side} int8, {@code side/2 x side/2} fp16). The
     * tiles of one output tile stay on one plane, which accumulates over the reduction dimension; output tiles go
     * round-robin over the planes, and when there are fewer output tiles than planes the reduction is split too and
     * the vector unit adds the partial sums. A plane installs its next tile from SRAM while it multiplies with the
     * current one (two weight buffers). Results leave through the vector unit, which scales int8 sums by the
     * weights' and the activations' row scales and converts to the output's type.
     */
    private void matmul(Kernel.MatMul k, Value in, Value out, int rows) {
        boolean int8 = k.format() == LpuPrecision.INT8;
        int side = int8 ? config.mxmSide() : config.mxmSide() / 2;
        int tk = Math.ceilDiv(k.in(), side);
        int tn = Math.ceilDiv(k.out(), side);
        int planes = plan.planes();
        int kSplit = tn >= planes ? 1 : Math.min(tk, planes / tn);
        Value[] source = prepare(in, k.in(), rows, int8);
        List<List<int[]>> queues = new ArrayList<>();
        for (int p = 0; p < planes; p++) {
            queues.add(new ArrayList<>());
        }
        int job = 0;
        for (int j = 0; j < tn; j++) {
            for (int part = 0; part < kSplit; part++) {
                int plane = job++ % planes;
                for (int t = part * tk / kSplit; t < (part + 1) * tk / kSplit; t++) {
                    queues.get(plane).add(new int[] {j, part, t, (part + 1) * tk / kSplit - 1});
                }
            }
        }
        // Tiles are emitted round-robin over the planes, in the order they will run, so that the planes overlap.
        Map<Integer, List<Value>> partials = new HashMap<>();
        int longest = 0;
        for (List<int[]> q : queues) {
            longest = Math.max(longest, q.size());
        }
        for (int round = 0; round < longest; round++) {
            for (int plane = 0; plane < planes; plane++) {
                if (round < queues.get(plane).size()) {
                    int[] tile = queues.get(plane).get(round);
                    Value partial = tileOnPlane(k, source, out, rows, plane, tile, kSplit, side, int8);
                    if (partial != null) {
                        partials.computeIfAbsent(tile[0], x -> new ArrayList<>()).add(partial);
                    }
                }
            }
        }
        for (int j = 0; j < tn && kSplit > 1; j++) {
            int outCols = Math.min(side, k.out() - j * side);
            Value total = temp(4);
            sum(partials.get(j), outCols, total, rows);
            Emit e = new Emit();
            int alu = e.vxm(int8 ? 3 : 1, rows);
            e.stream(e.read(total, total.bytes, rows), alu, total.bytes);
            scales(e, alu, source, rows);
            int outVectors = Math.max(1, Math.ceilDiv(outCols * out.bytes, lanes));
            e.stream(alu, e.write(out, outVectors, rows), outVectors);
            e.place();
        }
    }

    /**
     * Installs tile {@code (j, part, t)} on {@code plane} and streams the rows through it; the last tile of a job
     * sends its sums through the vector unit to {@code out}, or, when the reduction is split, to a partial (returned).
     */
    private Value tileOnPlane(Kernel.MatMul k, Value[] source, Value out, int rows, int plane, int[] tile, int kSplit,
                              int side, boolean int8) {
        int j = tile[0];
        int t = tile[2];
        boolean last = t == tile[3];
        int outCols = Math.min(side, k.out() - j * side);
        int kRows = Math.min(side, k.in() - t * side);
        int resultStreams = Math.ceilDiv(side * 4, lanes);
        int install = install(plane, kRows, outCols, int8);
        Emit e = new Emit();
        int read = e.read(source[0], 1, rows);
        int mm = e.b.add(Opcode.MATMUL, plan.mxmPos(plane), new int[] {plan.mxmCompute(plane)}, rows,
                config.mxmLatency(), (long) rows * kRows * outCols);
        e.b.after(mm, install, true);
        e.stream(read, mm, 1);
        Value partial = null;
        if (last && kSplit == 1) {
            int outVectors = Math.max(1, Math.ceilDiv(outCols * out.bytes, lanes));
            int alu = e.vxm(int8 ? 3 : 1, rows);
            e.stream(mm, alu, resultStreams);
            scales(e, alu, source, rows);
            e.stream(alu, e.write(out, outVectors, rows), outVectors);
        } else if (last) {
            partial = temp(4);
            e.stream(mm, e.write(partial, resultStreams, rows), resultStreams);
        }
        planeMatmuls.get(plane).add(e.place()[mm]);
        return partial;
    }

    /** int8 sums are scaled by the weights' row scales (a constant vector) and the activations' row scales. */
    private void scales(Emit e, int alu, Value[] source, int rows) {
        if (source.length > 1) {
            e.stream(e.readConstant(4, rows), alu, 4);
            e.stream(e.read(source[1], 1, rows), alu, 1);
        }
    }

    /** Installs a tile of {@code kRows x cols} weights on {@code plane}; returns the install instruction. */
    private int install(int plane, int kRows, int cols, boolean int8) {
        int streams = config.installStreams();
        int[] group = plan.weightSlices(plane);
        int[] units = new int[streams];
        for (int i = 0; i < streams; i++) {
            units[i] = plan.memRead(group[(planeCursor[plane] + i) % group.length]);
        }
        planeCursor[plane] = (planeCursor[plane] + streams) % group.length;
        int cycles = Math.ceilDiv(kRows, streams);
        // Every install of a plane is timed from its farthest weight slice, so all installs share one latency.
        int farthest = group[group.length - 1];
        ChipScheduler.Bundle b = sched.bundle();
        int read = b.add(Opcode.READ, plan.memPos(farthest), units, cycles, config.memReadLatency(),
                (long) cycles * streams * lanes);
        int lw = b.add(Opcode.INSTALL, plan.mxmPos(plane), new int[] {plan.mxmInstall(plane)}, cycles, 0,
                (long) kRows * cols * (int8 ? 1 : 2));
        b.stream(read, lw, streams);
        List<Integer> done = planeMatmuls.get(plane);
        if (done.size() >= 2) {
            b.after(lw, done.get(done.size() - 2), true);
        }
        return b.place()[lw];
    }

    /**
     * What the planes stream in: int8 rows with one scale per row (returned second), or fp16 rows. Values are
     * written once, so a value feeding several matrices (Q, K and V) is prepared once.
     */
    private Value[] prepare(Value in, int width, int rows, boolean int8) {
        Value[] done = prepared.get(in);
        if (done != null && (done.length == 2) == int8) {
            return done;
        }
        Value[] result;
        if (!int8) {
            if (in.bytes == 2) {
                result = new Value[] {in};
            } else {
                Value half = temp(2);
                elementwise(List.of(in), width, 1, half, rows);
                result = new Value[] {half};
            }
        } else {
            Value scale = temp(1);
            Value q = temp(1);
            int cycles = rows * chunks(width);
            Emit max = new Emit();
            int abs = max.vxm(2, cycles);
            max.stream(max.read(in, in.bytes, cycles), abs, in.bytes);
            int tree = max.reduce(rows);
            max.stream(abs, tree, 1);
            int recip = max.vxm(1, rows);
            max.stream(tree, recip, 1);
            max.stream(recip, max.write(scale, 1, rows), 1);
            max.place();

            Emit convert = new Emit();
            int alu = convert.vxm(3, cycles);
            convert.stream(convert.read(in, in.bytes, cycles), alu, in.bytes);
            convert.stream(convert.read(scale, 1, cycles), alu, 1);
            convert.stream(alu, convert.write(q, 1, cycles), 1);
            convert.place();
            result = new Value[] {q, scale};
        }
        prepared.put(in, result);
        return result;
    }

    // Transfers between chips.

    private void collective(Step s, Kernel.Collective c, int rows) {
        Value in = value(s.input(0));
        int sync = -1;
        if (c.pattern() != Kernel.Pattern.SEND) {
            ChipScheduler.Bundle b = sched.bundle();
            int m = b.add(Opcode.SYNC, plan.c2cPos(), new int[] {plan.icu()},
                    (int) Math.max(1, config.collectiveOverheadCycles()), 0, 0);
            b.after(m, in.lastWrite, false);
            sync = b.place()[m];
        }
        switch (c.pattern()) {
            case ALL_REDUCE -> allReduce(s, c, in, rows, sync);
            case ALL_GATHER -> {
                long bytes = (long) rows * Math.ceilDiv(c.width(), c.peers()) * c.elementBytes();
                receive(value(s.out(), s.outBytes()), exchange(in, c, bytes, sync, c.peers() - 1), bytes);
            }
            case SEND -> exchange(in, c, (long) rows * c.width() * c.elementBytes(), sync, 1);
            case DISPATCH, COMBINE -> exchange(in, c, (long) rows * c.width() * c.elementBytes(), sync, c.peers());
        }
    }

    /** Reduce-scatter of fp32 partial rows, a vector add of the received slices, then all-gather of the sums. */
    private void allReduce(Step s, Kernel.Collective c, Value in, int rows, int sync) {
        int t = c.peers();
        long slice = (long) rows * Math.ceilDiv(c.width(), t) * 4;
        Value received = temp(4);
        receive(received, exchange(in, c, slice, sync, t - 1), slice);
        Value reduced = temp(4);
        int cycles = (int) Math.max(1, Math.ceilDiv(slice, lanes));
        Emit add = new Emit();
        int alu = add.vxm(1, cycles * t);
        add.stream(add.read(received, 4, cycles * t), alu, 4);
        add.stream(alu, add.write(reduced, 4, cycles * t), 4);
        add.place();
        receive(value(s.out(), s.outBytes()), exchange(reduced, c, slice, -1, t - 1), slice);
    }

    /**
     * Sends a message of {@code bytes} to each of {@code messages} chips, over the links to that peer inside the
     * node or over the node's global links; returns the sends. Chips of a group run the same program, so the
     * messages this chip receives arrive when its own arrive at their peers.
     */
    private List<Integer> exchange(Value in, Kernel.Collective c, long bytes, int sync, int messages) {
        List<Integer> sends = new ArrayList<>();
        int vectors = (int) Math.max(1, Math.ceilDiv(bytes, lanes));
        int ports = Math.min(4, in.bytes);
        for (int m = 0; m < messages; m++) {
            int[] links = links(c, m);
            int cycles = (int) Math.max(1, Math.ceil(bytes / (links.length * config.linkBytesPerCycle())));
            Emit e = new Emit();
            int read = e.read(in, ports, Math.ceilDiv(vectors, ports));
            int send = e.b.add(Opcode.SEND, plan.c2cPos(), links, cycles,
                    (int) (c.hops() * config.hopLatencyCycles()), bytes);
            e.b.after(send, sync, true);
            e.stream(read, send, ports);
            sends.add(e.place()[send]);
        }
        return sends;
    }

    private int[] links(Kernel.Collective c, int message) {
        int perPeer = config.linksPerPeer();
        if (c.leavesNode()) {
            int first = (config.chipsPerNode() - 1) * perPeer;
            int[] l = new int[config.globalLinks()];
            for (int i = 0; i < l.length; i++) {
                l[i] = plan.link(first + i);
            }
            return l;
        }
        int peer = message % (config.chipsPerNode() - 1);
        int[] l = new int[perPeer];
        for (int i = 0; i < perPeer; i++) {
            l[i] = plan.link(peer * perPeer + i);
        }
        return l;
    }

    /** Writes what the peers sent into {@code into}, each message once it has arrived. */
    private void receive(Value into, List<Integer> arrivals, long bytes) {
        int ports = Math.min(4, into.bytes);
        int cycles = (int) Math.max(1, Math.ceilDiv(Math.ceilDiv(bytes, lanes), ports));
        for (int send : arrivals) {
            Emit e = new Emit();
            int w = e.write(into, ports, cycles);
            e.b.after(w, send, false);
            e.place();
        }
    }
}
