package io.github.infer4j.backend.lpu;

import java.util.List;
import java.util.Map;

/**
 * A stretch of one token's path that a group of {@code chips} identical chips runs (each its own share), starting
 * once its inputs have arrived: a pipeline stage, or the part of a stage before, inside or after a mixture of
 * experts. A token passes the segments one after the other. {@code residentBytes}: bytes per element of the values
 * the program reads but does not write (already in SRAM when it starts).
 */
record Segment(String name, int stage, int chips, int firstChip, boolean experts, List<Step> program,
               Map<Integer, Integer> residentBytes) {
    Segment {
        program = List.copyOf(program);
        residentBytes = Map.copyOf(residentBytes);
    }
}
