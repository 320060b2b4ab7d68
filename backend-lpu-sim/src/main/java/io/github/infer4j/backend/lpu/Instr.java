package io.github.infer4j.backend.lpu;

/**
 * One scheduled instruction: it occupies {@code units} for {@code duration} cycles from {@code start}, its first
 * output appears {@code latency} cycles after it starts at position {@code pos}, and travels on {@code streams}
 * (direction {@code streamDir}: 0 east, 1 west) to position {@code streamTo}. Vectors move one position a cycle, so
 * in a frame moving with them ({@code tau = cycle - x} eastward, {@code cycle + x} westward) the output occupies
 * the fixed band {@code [bandStart, bandEnd)} over the positions it crosses ({@code segments}, see
 * {@link Floorplan#segments}). {@code links} are the instructions whose streams it consumes the cycle they arrive;
 * {@code deps} must have finished ({@code depDone}) or delivered their data before it starts. Reads and writes of
 * SRAM data name the value they move ({@code value}, -1 for weights and constants).
 */
record Instr(int id, int step, Opcode op, int[] units, long start, int duration, int latency, int pos,
             int streamDir, int[] streams, int segments, int streamTo, long bandStart, long bandEnd, long bytes,
             int[] deps, boolean[] depDone, int[] links, int value) {

    /** When the unit work is over. */
    long done() {
        return start + duration;
    }

    /** When what it produced can be used by an instruction that is not stream-linked to it. */
    long ready(int writeLatency) {
        return switch (op) {
            case WRITE -> start + duration + writeLatency;
            case INSTALL, SYNC -> start + duration;
            case SEND -> start + duration + latency;
            default -> start + latency + duration;
        };
    }

    /** The cycle its last output vector reaches its consumer. */
    long streamArrivalEnd() {
        return streams.length == 0 ? 0 : start + latency + Math.abs(streamTo - pos) + duration;
    }

    /** The last cycle any effect of it is visible, for spans and totals. */
    long end(int writeLatency) {
        return Math.max(done(), Math.max(ready(writeLatency), streamArrivalEnd()));
    }
}
