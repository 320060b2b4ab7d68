package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Proves a chip schedule free of the hazards a statically scheduled chip cannot survive, since no hardware
 * arbitrates: two instructions on one unit in one cycle (for SRAM slices: a port over-subscribed), two writers on one
 * stream register in one cycle, and a consumer firing before its data arrives (or after a stream has carried it
 * past). Any hazard is a compile error naming both instructions and the cycle.
 */
final class ScheduleChecker {
    private ScheduleChecker() {
    }

    static void check(List<Instr> instrs, Floorplan plan, LpuConfig config) {
        checkUnits(instrs, plan);
        checkStreams(instrs, config);
        checkData(instrs, config);
    }

    private static void checkUnits(List<Instr> instrs, Floorplan plan) {
        List<List<Instr>> byUnit = new ArrayList<>();
        for (int u = 0; u < plan.unitCount(); u++) {
            byUnit.add(new ArrayList<>());
        }
        for (Instr i : instrs) {
            for (int u : i.units()) {
                byUnit.get(u).add(i);
            }
        }
        for (int u = 0; u < byUnit.size(); u++) {
            List<Instr> list = byUnit.get(u);
            list.sort(Comparator.comparingLong(Instr::start).thenComparingInt(Instr::id));
            for (int k = 1; k < list.size(); k++) {
                Instr a = list.get(k - 1);
                Instr b = list.get(k);
                if (b.start() < a.done()) {
                    UnitType type = plan.typeOf(u);
                    String what = type == UnitType.MEM_READ || type == UnitType.MEM_WRITE
                            ? "SRAM port over-subscribed: " + plan.nameOf(u)
                            : "unit " + plan.nameOf(u) + " given two instructions";
                    throw hazard(what + " in cycle " + b.start() + " by " + describe(a) + " and " + describe(b));
                }
            }
        }
    }

    private static void checkStreams(List<Instr> instrs, LpuConfig config) {
        int streams = config.streamsPerDirection();
        List<List<Instr>> byRegister = new ArrayList<>();
        int segs = Floorplan.SEGMENTS;
        for (int r = 0; r < 2 * streams * segs; r++) {
            byRegister.add(new ArrayList<>());
        }
        for (Instr i : instrs) {
            for (int s : i.streams()) {
                for (int seg = 0; seg < segs; seg++) {
                    if ((i.segments() & (1 << seg)) != 0) {
                        byRegister.get((i.streamDir() * streams + s) * segs + seg).add(i);
                    }
                }
            }
        }
        for (int r = 0; r < byRegister.size(); r++) {
            List<Instr> list = byRegister.get(r);
            list.sort(Comparator.comparingLong(Instr::bandStart).thenComparingInt(Instr::id));
            int stream = (r / segs) % streams;
            int dir = r / segs / streams;
            for (int k = 0; k < list.size(); k++) {
                Instr a = list.get(k);
                for (int m = k + 1; m < list.size() && list.get(m).bandStart() < a.bandEnd(); m++) {
                    Instr b = list.get(m);
                    int from = Math.max(Math.min(a.pos(), a.streamTo()), Math.min(b.pos(), b.streamTo()));
                    int to = Math.min(Math.max(a.pos(), a.streamTo()), Math.max(b.pos(), b.streamTo()));
                    if (from <= to) {
                        int x = dir == 0 ? from : to;
                        long cycle = b.bandStart() + (long) ChipScheduler.sign(dir) * x;
                        throw hazard("two writers on stream register " + (dir == 0 ? "E" : "W") + stream
                                + " at position " + x + " in cycle " + cycle + ": " + describe(a) + " and "
                                + describe(b));
                    }
                }
            }
        }
    }

    private static void checkData(List<Instr> instrs, LpuConfig config) {
        // Every value is written completely before it is read (values are written once per pass).
        java.util.Map<Integer, Instr> lastWrite = new java.util.HashMap<>();
        for (Instr i : instrs) {
            if (i.op() == Opcode.WRITE && i.value() >= 0) {
                lastWrite.merge(i.value(), i, (a, b) -> a.ready(config.memWriteLatency())
                        >= b.ready(config.memWriteLatency()) ? a : b);
            }
        }
        for (Instr i : instrs) {
            Instr write = i.op() == Opcode.READ && i.value() >= 0 ? lastWrite.get(i.value()) : null;
            if (write != null && i.start() < write.ready(config.memWriteLatency())) {
                throw hazard("consumer fires before its data arrives: " + describe(i) + " reads value " + i.value()
                        + " in cycle " + i.start() + ", " + describe(write) + " has written it by cycle "
                        + write.ready(config.memWriteLatency()));
            }
            for (int p : i.links()) {
                Instr producer = instrs.get(p);
                long arrives = producer.start() + producer.latency() + Math.abs(i.pos() - producer.pos());
                if (i.start() < arrives) {
                    throw hazard("consumer fires before its data arrives: " + describe(i) + " starts in cycle "
                            + i.start() + ", the stream from " + describe(producer) + " arrives in cycle " + arrives);
                }
                if (i.start() > arrives) {
                    throw hazard("data passes its consumer: the stream from " + describe(producer) + " arrives in cycle "
                            + arrives + " but " + describe(i) + " starts in cycle " + i.start());
                }
            }
            int[] deps = i.deps();
            for (int d = 0; d < deps.length; d++) {
                Instr dep = instrs.get(deps[d]);
                long when = i.depDone()[d] ? dep.done() : dep.ready(config.memWriteLatency());
                if (i.start() < when) {
                    throw hazard("consumer fires before its data arrives: " + describe(i) + " starts in cycle "
                            + i.start() + ", " + describe(dep) + " delivers in cycle " + when);
                }
            }
        }
    }

    private static String describe(Instr i) {
        return "#" + i.id() + " " + i.op() + " (step " + i.step() + ")";
    }

    private static Infer4jException hazard(String message) {
        return new Infer4jException("LPU schedule hazard: " + message);
    }
}
