package io.github.infer4j.backend.lpu;

import java.util.Map;
import java.util.TreeMap;

/** The busy intervals of one unit or stream register, so an instruction can be placed in any gap that fits it. */
final class Timeline {
    private final TreeMap<Long, Long> busy = new TreeMap<>();

    /** The earliest {@code t >= from} such that {@code [t, t + length)} overlaps no busy interval. */
    long firstFree(long from, long length) {
        long t = from;
        while (true) {
            Map.Entry<Long, Long> before = busy.floorEntry(t);
            if (before != null && before.getValue() > t) {
                t = before.getValue();
                continue;
            }
            Map.Entry<Long, Long> after = busy.higherEntry(t);
            if (after != null && after.getKey() < t + length) {
                t = after.getValue();
                continue;
            }
            return t;
        }
    }

    void reserve(long from, long length) {
        busy.put(from, from + length);
    }
}
