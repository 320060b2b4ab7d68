package io.github.infer4j.backend.lpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled model: its mapping over the chips, and the static schedules of its segments. A statically scheduled
 * chip needs a program per shape, so a schedule is compiled per batch size and per KV length rounded up to whole
 * vectors (positions past the current one are masked), once, when first needed; segments with the same kernels
 * (the many identical pipeline stages of a large model) share one.
 */
final class LpuProgram {
    private final Mapping mapping;
    private final LpuConfig config;
    private final int kvBytes;
    private final String[] signatures;
    private final Map<String, ChipSchedule> schedules = new HashMap<>();
    private final Map<Long, TokenTiming> timings = new HashMap<>();

    LpuProgram(Mapping mapping, LpuConfig config, int kvBytes) {
        this.mapping = mapping;
        this.config = config;
        this.kvBytes = kvBytes;
        List<Segment> segments = mapping.segments();
        this.signatures = new String[segments.size()];
        for (int i = 0; i < signatures.length; i++) {
            signatures[i] = signature(segments.get(i).program(), segments.get(i).residentBytes());
        }
    }

    Mapping mapping() {
        return mapping;
    }

    LpuConfig config() {
        return config;
    }

    /** The KV length a schedule is compiled for: {@code positions} rounded up to whole vectors. */
    int kvBucket(int positions) {
        int lanes = config.vectorBytes();
        return Math.max(lanes, Math.ceilDiv(positions, lanes) * lanes);
    }

    /**
     * The pass of {@code rows} tokens that attend to {@code positions} cached positions at most; equal shapes get
     * the same object.
     */
    TokenTiming time(int rows, int positions) {
        int kv = kvBucket(positions);
        return timings.computeIfAbsent(((long) rows << 32) | kv, key -> build(rows, kv));
    }

    private TokenTiming build(int rows, int kv) {
        List<TokenTiming.Part> parts = new ArrayList<>();
        long offset = 0;
        List<Segment> segments = mapping.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            String key = signatures[i] + "|" + rows + "|" + kv;
            ChipSchedule schedule = schedules.get(key);
            if (schedule == null) {
                schedule = Lowering.schedule(segment.program(), segment.residentBytes(), config, rows, kv, kvBytes);
                schedules.put(key, schedule);
            }
            parts.add(new TokenTiming.Part(segment, schedule, offset));
            offset += schedule.cycles();
        }
        return new TokenTiming(rows, kv, parts, mapping, config);
    }

    /** The shape of a program without names or value numbers: equal signatures schedule identically. */
    static String signature(List<Step> program, Map<Integer, Integer> residentBytes) {
        Map<Integer, Integer> renumber = new HashMap<>();
        StringBuilder sb = new StringBuilder();
        for (Step s : program) {
            sb.append(shape(s.kernel())).append(s.singleRow() ? "/1" : "/n").append('/').append(s.outBytes());
            for (int v : s.in()) {
                sb.append(',').append(renumber.computeIfAbsent(v, k -> renumber.size()));
                Integer resident = residentBytes.get(v);
                if (resident != null) {
                    sb.append('@').append(resident);
                }
            }
            sb.append("->").append(s.out() < 0 ? -1 : renumber.computeIfAbsent(s.out(), k -> renumber.size()))
                    .append(';');
        }
        return sb.toString();
    }

    private static String shape(Kernel k) {
        return switch (k) {
            case Kernel.Embed e -> "E" + e.width() + "x" + e.vocab() + e.format();
            case Kernel.Norm n -> "N" + n.width();
            case Kernel.MatMul m -> "M" + m.in() + "x" + m.out() + m.format();
            case Kernel.Rope r -> "R" + r.heads() + "x" + r.headDim();
            case Kernel.Attention a -> "A" + a.heads() + "x" + a.kvHeads() + "x" + a.headDim();
            case Kernel.Vector v -> "V" + v.kind() + v.width() + "x" + v.inputs() + "x" + v.aluOps();
            case Kernel.LastRow l -> "L" + l.width();
            case Kernel.Router r -> "G" + r.dim() + "x" + r.experts() + r.format();
            case Kernel.Collective c -> "C" + c.pattern() + c.width() + "x" + c.elementBytes() + "x" + c.peers() + "x"
                    + c.hops() + c.leavesNode();
        };
    }
}
