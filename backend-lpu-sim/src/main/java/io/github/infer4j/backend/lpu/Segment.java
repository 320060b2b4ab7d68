package io.github.infer4j.backend.lpu;

import java.util.List;

/**
 * A stretch of one token's path that a group of {@code chips} identical chips runs (each its own share), starting
 * once its inputs have arrived: a pipeline stage, or the part of a stage before, inside or after a mixture of
 * experts. A token passes the segments one after the other.
 */
record Segment(String name, int stage, int chips, int firstChip, boolean experts, List<Step> program) {
    Segment {
        program = List.copyOf(program);
    }
}
