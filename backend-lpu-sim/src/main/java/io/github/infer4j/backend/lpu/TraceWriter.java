package io.github.infer4j.backend.lpu;

import io.github.infer4j.internal.json.Json;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes passes as a Chrome / Perfetto trace ({@code chrome://tracing}, ui.perfetto.dev): a process per chip group
 * (its first chip), a thread per unit type, an event per instruction, plus a thread of kernel spans. Instruction
 * events stop after {@code instructionBudget} (large plans have millions); kernel spans are always written. Times
 * are microseconds of simulated time; the text depends only on its input, so equal runs give equal bytes.
 */
final class TraceWriter {
    private static final int KERNELS_TID = 99;

    private final LpuConfig config;
    private final StringBuilder events = new StringBuilder();
    private final Set<String> named = new HashSet<>();
    private long instructionBudget;
    private boolean truncated;

    TraceWriter(LpuConfig config, long instructionBudget) {
        this.config = config;
        this.instructionBudget = instructionBudget;
    }

    /** Adds {@code timing} starting at {@code startCycle} of simulated time, labelled {@code label}. */
    void add(String label, TokenTiming timing, long startCycle) {
        for (TokenTiming.Part part : timing.parts()) {
            Segment segment = part.segment();
            ChipSchedule schedule = part.schedule();
            int pid = segment.firstChip();
            nameProcess(pid, "chip " + pid + (segment.chips() > 1 ? " (+" + (segment.chips() - 1) + " alike)" : ""));
            long base = startCycle + part.offset();
            List<Step> program = segment.program();
            nameThread(pid, KERNELS_TID, "kernels");
            for (int s = 0; s < program.size(); s++) {
                long from = schedule.stepStart(s);
                long to = schedule.stepEnd(s);
                event(program.get(s).kernel().name(), program.get(s).kernel().kind() + "," + label, pid, KERNELS_TID,
                        base + from, to - from);
            }
            List<Instr> instrs = schedule.instructions();
            if (instructionBudget < instrs.size()) {
                truncated |= !instrs.isEmpty();
                continue;
            }
            instructionBudget -= instrs.size();
            Floorplan plan = schedule.plan();
            for (Instr i : instrs) {
                UnitType type = plan.typeOf(i.units()[0]);
                nameThread(pid, type.ordinal(), type.label());
                event(i.op() + " " + program.get(i.step()).kernel().name(), "instr," + label, pid, type.ordinal(),
                        base + i.start(), i.duration());
            }
        }
    }

    /** Whether some instruction events were left out to keep the file small. */
    boolean truncated() {
        return truncated;
    }

    String json() {
        return "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"chip\":" + Json.quoted(config.toString())
                + ",\"clockMHz\":" + number(config.clockHz() / 1e6) + ",\"instructionsTruncated\":" + truncated
                + "},\"traceEvents\":[" + events + "]}\n";
    }

    private void nameProcess(int pid, String name) {
        if (named.add("p" + pid)) {
            separator();
            events.append("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":").append(pid)
                    .append(",\"args\":{\"name\":").append(Json.quoted(name)).append("}}");
            separator();
            events.append("{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":").append(pid)
                    .append(",\"args\":{\"sort_index\":").append(pid).append("}}");
        }
    }

    private void nameThread(int pid, int tid, String name) {
        if (named.add("t" + pid + "/" + tid)) {
            separator();
            events.append("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":").append(pid).append(",\"tid\":")
                    .append(tid).append(",\"args\":{\"name\":").append(Json.quoted(name)).append("}}");
        }
    }

    private void event(String name, String category, int pid, int tid, long startCycle, long cycles) {
        separator();
        events.append("{\"ph\":\"X\",\"name\":").append(Json.quoted(name))
                .append(",\"cat\":").append(Json.quoted(category))
                .append(",\"pid\":").append(pid).append(",\"tid\":").append(tid)
                .append(",\"ts\":").append(number(micros(startCycle))).append(",\"dur\":")
                .append(number(micros(Math.max(1, cycles)))).append(",\"args\":{\"cycle\":").append(startCycle)
                .append(",\"cycles\":").append(cycles).append("}}");
    }

    private double micros(long cycles) {
        return cycles / config.clockHz() * 1e6;
    }

    private void separator() {
        if (!events.isEmpty()) {
            events.append(",\n");
        }
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
