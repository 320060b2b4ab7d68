package io.github.infer4j.backend.lpu;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass of a batch of {@code rows} tokens through every segment, with a KV cache of {@code kvLength} positions:
 * the segments run one after the other, so the pass takes the sum of their cycles.
 */
final class TokenTiming {
    /** A segment's schedule and the cycle (from the start of the pass) it starts at. */
    record Part(Segment segment, ChipSchedule schedule, long offset) {
    }

    private final int rows;
    private final int kvLength;
    private final List<Part> parts;
    private final long cycles;
    private final Mapping mapping;
    private final LpuConfig config;

    TokenTiming(int rows, int kvLength, List<Part> parts, Mapping mapping, LpuConfig config) {
        this.rows = rows;
        this.kvLength = kvLength;
        this.parts = List.copyOf(parts);
        this.mapping = mapping;
        this.config = config;
        long total = 0;
        for (Part p : parts) {
            total = Math.max(total, p.offset() + p.schedule().cycles());
        }
        this.cycles = total;
    }

    int rows() {
        return rows;
    }

    int kvLength() {
        return kvLength;
    }

    List<Part> parts() {
        return parts;
    }

    long cycles() {
        return cycles;
    }

    /** The longest stage: with a token of another user in every stage, the pipeline finishes one per this. */
    long bottleneckCycles() {
        Map<Integer, Long> byStage = new LinkedHashMap<>();
        for (Part p : parts) {
            byStage.merge(p.segment().stage(), p.schedule().cycles(), Long::sum);
        }
        long max = 0;
        for (long c : byStage.values()) {
            max = Math.max(max, c);
        }
        return max;
    }

    /** Fraction of all units of each type on the chips used that were busy during the pass. */
    Map<UnitType, Double> utilisation() {
        Map<UnitType, Double> u = new EnumMap<>(UnitType.class);
        int chips = mapping.chipsUsed();
        for (UnitType type : UnitType.values()) {
            double busy = 0;
            int perChip = 0;
            for (Part p : parts) {
                busy += (double) p.schedule().busy(type) * p.segment().chips();
                perChip = p.schedule().plan().count(type);
            }
            u.put(type, cycles == 0 ? 0 : busy / ((double) perChip * chips * cycles));
        }
        return u;
    }

    /** Multiply-accumulates done, over the int8 peak of the chips used for the pass. */
    double macUtilisation() {
        double macs = 0;
        for (Part p : parts) {
            macs += (double) p.schedule().macs() * p.segment().chips();
        }
        return cycles == 0 ? 0 : macs / ((double) config.int8MacsPerCycle() * mapping.chipsUsed() * cycles);
    }

    /** Bytes sent over chip-to-chip links, over what every link of the chips used could carry during the pass. */
    double linkUtilisation() {
        double bytes = linkBytes();
        double capacity = config.linkBytesPerCycle() * config.c2cLinks() * mapping.chipsUsed() * cycles;
        return capacity == 0 ? 0 : bytes / capacity;
    }

    double linkBytes() {
        double bytes = 0;
        for (Part p : parts) {
            bytes += (double) p.schedule().linkBytes() * p.segment().chips();
        }
        return bytes;
    }

    /** Cycles each kind of kernel adds to the pass (see {@link ChipSchedule#stepCycles}), summed over segments. */
    Map<String, Long> cyclesByKind() {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        for (Part p : parts) {
            List<Step> program = p.segment().program();
            for (int s = 0; s < program.size(); s++) {
                byKind.merge(program.get(s).kernel().kind(), p.schedule().stepCycles(s), Long::sum);
            }
        }
        return byKind;
    }
}
