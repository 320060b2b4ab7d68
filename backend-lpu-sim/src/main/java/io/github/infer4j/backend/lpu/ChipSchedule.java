package io.github.infer4j.backend.lpu;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A checked schedule of one chip program: its instructions and what they add up to. */
final class ChipSchedule {
    private final List<Instr> instrs;
    private final Floorplan plan;
    private final long cycles;
    private final long[] stepStart;
    private final long[] stepEnd;
    private final Map<UnitType, Long> busy = new EnumMap<>(UnitType.class);
    private long linkBytes;
    private long macs;

    ChipSchedule(List<Step> program, List<Instr> instrs, Floorplan plan, LpuConfig config) {
        this.instrs = List.copyOf(instrs);
        this.plan = plan;
        this.stepStart = new long[program.size()];
        this.stepEnd = new long[program.size()];
        java.util.Arrays.fill(stepStart, Long.MAX_VALUE);
        for (UnitType t : UnitType.values()) {
            busy.put(t, 0L);
        }
        long end = 0;
        int writeLatency = config.memWriteLatency();
        for (Instr i : instrs) {
            long e = i.end(writeLatency);
            end = Math.max(end, e);
            stepStart[i.step()] = Math.min(stepStart[i.step()], i.start());
            stepEnd[i.step()] = Math.max(stepEnd[i.step()], e);
            for (int u : i.units()) {
                busy.merge(plan.typeOf(u), (long) i.duration(), Long::sum);
            }
            if (i.op() == Opcode.SEND) {
                linkBytes += i.bytes();
            } else if (i.op() == Opcode.MATMUL) {
                macs += i.bytes();
            }
        }
        for (int s = 0; s < stepStart.length; s++) {
            if (stepStart[s] == Long.MAX_VALUE) {
                stepStart[s] = 0;
            }
        }
        this.cycles = end;
    }

    List<Instr> instructions() {
        return instrs;
    }

    Floorplan plan() {
        return plan;
    }

    /** Cycles from the first instruction to the last effect (the last message delivered). */
    long cycles() {
        return cycles;
    }

    long stepStart(int step) {
        return stepStart[step];
    }

    long stepEnd(int step) {
        return stepEnd[step];
    }

    /**
     * Cycles step {@code step} adds to the program: how far its last effect reaches past every earlier step's.
     * These sum to {@link #cycles()}, so they say where the time goes even when steps overlap.
     */
    long stepCycles(int step) {
        long before = 0;
        for (int s = 0; s < step; s++) {
            before = Math.max(before, stepEnd[s]);
        }
        return Math.max(0, stepEnd[step] - before);
    }

    /** Unit-cycles spent by units of {@code type} (one unit busy for one cycle counts one). */
    long busy(UnitType type) {
        return busy.get(type);
    }

    /** Bytes this chip sent to other chips. */
    long linkBytes() {
        return linkBytes;
    }

    /** Multiply-accumulates the matrix planes did. */
    long macs() {
        return macs;
    }
}
