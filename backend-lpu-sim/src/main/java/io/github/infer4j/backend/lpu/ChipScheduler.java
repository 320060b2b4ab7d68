package io.github.infer4j.backend.lpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Places instructions on one chip's timeline as the compiler emits them, in program order, each at the earliest
 * cycle its units, streams and inputs allow, in any gap left by earlier ones. Instructions joined by a stream are
 * placed together as a {@link Bundle}: a stream register holds a vector for one cycle only, so a consumer must fire
 * exactly when the producer's data reaches it ({@code producer.start + latency + distance}). Choices are made in a
 * fixed order (lowest free unit, lowest free stream), so equal programs give equal schedules.
 */
final class ChipScheduler {
    private final LpuConfig config;
    private final Floorplan plan;
    private final Timeline[] units;
    /** Per direction, stream and stretch of the chip: the bands taken, in the frame moving with the data. */
    private final Timeline[][][] bands;
    private final List<Instr> instrs = new ArrayList<>();
    private int step;

    ChipScheduler(LpuConfig config, Floorplan plan) {
        this.config = config;
        this.plan = plan;
        this.units = new Timeline[plan.unitCount()];
        for (int u = 0; u < units.length; u++) {
            units[u] = new Timeline();
        }
        this.bands = new Timeline[2][config.streamsPerDirection()][Floorplan.SEGMENTS];
        for (Timeline[][] dir : bands) {
            for (Timeline[] stream : dir) {
                for (int seg = 0; seg < stream.length; seg++) {
                    stream[seg] = new Timeline();
                }
            }
        }
    }

    /** Instructions emitted from now on belong to program step {@code index}. */
    void beginStep(int index) {
        step = index;
    }

    Bundle bundle() {
        return new Bundle();
    }

    Instr get(int id) {
        return instrs.get(id);
    }

    List<Instr> instructions() {
        return instrs;
    }

    /** +1 for eastward streams (positions grow with time), -1 for westward. */
    static int sign(int dir) {
        return dir == 0 ? 1 : -1;
    }

    /** A group of instructions whose relative timing the streams between them fix. */
    final class Bundle {
        private final List<Member> members = new ArrayList<>();

        /** Adds an instruction that occupies {@code count} of the units in {@code pool} (the lowest free ones). */
        int add(Opcode op, int pos, int[] pool, int count, int duration, int latency, long bytes) {
            if (count > pool.length || duration < 1) {
                throw new IllegalArgumentException(op + " needs " + count + " of " + pool.length + " units for "
                        + duration + " cycles");
            }
            members.add(new Member(op, pos, pool.clone(), count, duration, latency, bytes));
            return members.size() - 1;
        }

        /** Adds an instruction on exactly {@code units}. */
        int add(Opcode op, int pos, int[] units, int duration, int latency, long bytes) {
            return add(op, pos, units, units.length, duration, latency, bytes);
        }

        /** {@code producer}'s output travels to {@code consumer} on {@code streams} stream registers. */
        void stream(int producer, int consumer, int streams) {
            Member p = members.get(producer);
            if (p.consumer >= 0) {
                throw new IllegalStateException("a producer feeds one consumer");
            }
            p.consumer = consumer;
            p.streams = streams;
            members.get(consumer).producers.add(producer);
        }

        /** Names the value {@code member} reads or writes, so the checker can follow data through SRAM. */
        void moves(int member, int value) {
            members.get(member).value = value;
        }

        /** {@code member} may start only once instruction {@code id} has delivered ({@code done}: finished). */
        void after(int member, int id, boolean done) {
            if (id >= 0) {
                Member m = members.get(member);
                m.deps.add(id);
                m.depDone.add(done);
            }
        }

        /**
         * Places every member at the earliest anchor cycle where all of them find their units and streams free
         * (in any gap) and their inputs delivered, and returns their instruction ids in the order they were added.
         */
        int[] place() {
            int n = members.size();
            long[] offset = offsets();
            long t = 0;
            for (int i = 0; i < n; i++) {
                Member m = members.get(i);
                t = Math.max(t, -offset[i]);
                for (int d = 0; d < m.deps.size(); d++) {
                    Instr dep = instrs.get(m.deps.get(d));
                    long when = m.depDone.get(d) ? dep.done() : dep.ready(config.memWriteLatency());
                    t = Math.max(t, when - offset[i]);
                }
                if (m.consumer >= 0) {
                    Member c = members.get(m.consumer);
                    m.dir = c.pos >= m.pos ? 0 : 1;
                    m.segments = plan.segments(m.pos, c.pos);
                }
            }
            while (true) {
                long later = fit(t, offset);
                if (later == t) {
                    break;
                }
                t = later;
            }
            return commit(t, offset);
        }

        /**
         * Chooses units and streams for anchor {@code t}; returns {@code t} when all fit, else a later anchor
         * worth trying (the earliest at which the first resource that failed is free).
         */
        private long fit(long t, long[] offset) {
            java.util.Set<Integer> taken = new java.util.HashSet<>();
            java.util.Set<Integer> takenStreams = new java.util.HashSet<>();
            for (int i = 0; i < members.size(); i++) {
                Member m = members.get(i);
                long start = t + offset[i];
                int[] chosen = new int[m.count];
                int found = 0;
                long next = Long.MAX_VALUE;
                for (int u : m.pool) {
                    if (taken.contains(u)) {
                        continue;
                    }
                    long free = units[u].firstFree(start, m.duration);
                    if (free == start && found < m.count) {
                        chosen[found++] = u;
                    } else if (free != start) {
                        next = Math.min(next, free);
                    }
                }
                if (found < m.count) {
                    if (next == Long.MAX_VALUE) {
                        throw new IllegalStateException("a bundle needs " + m.count + " units of "
                                + plan.nameOf(m.pool[0]) + "'s kind and its other members hold the rest");
                    }
                    return next - offset[i];
                }
                for (int u : chosen) {
                    taken.add(u);
                }
                m.chosen = chosen;
                if (m.consumer >= 0) {
                    long band = start + m.latency - (long) sign(m.dir) * m.pos;
                    int[] streams = new int[m.streams];
                    int have = 0;
                    long bandNext = Long.MAX_VALUE;
                    int total = config.streamsPerDirection();
                    for (int s = 0; s < total && have < m.streams; s++) {
                        if (takenStreams.contains(m.dir * total + s)) {
                            continue;
                        }
                        long free = bandFree(m.dir, s, m.segments, band, m.duration);
                        if (free == band) {
                            streams[have++] = s;
                        } else {
                            bandNext = Math.min(bandNext, free);
                        }
                    }
                    if (have < m.streams) {
                        if (bandNext == Long.MAX_VALUE) {
                            throw new IllegalStateException("a bundle needs " + m.streams
                                    + " streams of a direction and its other members hold the rest");
                        }
                        return t + (bandNext - band);
                    }
                    for (int s : streams) {
                        takenStreams.add(m.dir * total + s);
                    }
                    m.streamIds = streams;
                }
            }
            return t;
        }

        private long bandFree(int dir, int stream, int segments, long from, long length) {
            long t = from;
            boolean moved = true;
            while (moved) {
                moved = false;
                for (int seg = 0; seg < Floorplan.SEGMENTS; seg++) {
                    if ((segments & (1 << seg)) != 0) {
                        long free = bands[dir][stream][seg].firstFree(t, length);
                        if (free != t) {
                            t = free;
                            moved = true;
                        }
                    }
                }
            }
            return t;
        }

        private int[] commit(long t, long[] offset) {
            int n = members.size();
            int[] ids = new int[n];
            int first = instrs.size();
            for (int i = 0; i < n; i++) {
                ids[i] = first + i;
            }
            for (int i = 0; i < n; i++) {
                Member m = members.get(i);
                long start = t + offset[i];
                long bandStart = 0;
                long bandEnd = 0;
                int streamTo = m.pos;
                int[] streams = new int[0];
                if (m.consumer >= 0) {
                    streamTo = members.get(m.consumer).pos;
                    bandStart = start + m.latency - (long) sign(m.dir) * m.pos;
                    bandEnd = bandStart + m.duration;
                    streams = m.streamIds;
                    for (int s : streams) {
                        for (int seg = 0; seg < Floorplan.SEGMENTS; seg++) {
                            if ((m.segments & (1 << seg)) != 0) {
                                bands[m.dir][s][seg].reserve(bandStart, m.duration);
                            }
                        }
                    }
                }
                for (int u : m.chosen) {
                    units[u].reserve(start, m.duration);
                }
                int[] links = new int[m.producers.size()];
                for (int p = 0; p < links.length; p++) {
                    links[p] = ids[m.producers.get(p)];
                }
                int[] deps = m.deps.stream().mapToInt(Integer::intValue).toArray();
                boolean[] depDone = new boolean[deps.length];
                for (int d = 0; d < deps.length; d++) {
                    depDone[d] = m.depDone.get(d);
                }
                instrs.add(new Instr(ids[i], step, m.op, m.chosen, start, m.duration, m.latency, m.pos, m.dir,
                        streams, m.segments, streamTo, bandStart, bandEnd, m.bytes, deps, depDone, links, m.value));
            }
            return ids;
        }

        /** Offsets that make every stream land exactly when its consumer fires, relative to the first member. */
        private long[] offsets() {
            int n = members.size();
            long[] offset = new long[n];
            boolean[] known = new boolean[n];
            for (int root = 0; root < n; root++) {
                if (known[root]) {
                    continue;
                }
                known[root] = true;
                boolean changed = true;
                while (changed) {
                    changed = false;
                    for (int p = 0; p < n; p++) {
                        Member m = members.get(p);
                        if (m.consumer < 0) {
                            continue;
                        }
                        int c = m.consumer;
                        long gap = m.latency + Math.abs(members.get(c).pos - m.pos);
                        if (known[p] && !known[c]) {
                            offset[c] = offset[p] + gap;
                            known[c] = true;
                            changed = true;
                        } else if (known[c] && !known[p]) {
                            offset[p] = offset[c] - gap;
                            known[p] = true;
                            changed = true;
                        } else if (known[p] && known[c] && offset[c] != offset[p] + gap) {
                            throw new IllegalStateException("streams into " + members.get(c).op
                                    + " cannot all arrive in the same cycle");
                        }
                    }
                }
            }
            return offset;
        }
    }

    private static final class Member {
        final Opcode op;
        final int pos;
        final int[] pool;
        final int count;
        final int duration;
        final int latency;
        final long bytes;
        final List<Integer> producers = new ArrayList<>();
        final List<Integer> deps = new ArrayList<>();
        final List<Boolean> depDone = new ArrayList<>();
        int consumer = -1;
        int streams;
        int dir;
        int segments;
        int[] streamIds = new int[0];
        int[] chosen;
        int value = -1;

        Member(Opcode op, int pos, int[] pool, int count, int duration, int latency, long bytes) {
            this.op = op;
            this.pos = pos;
            this.pool = pool;
            this.count = count;
            this.duration = duration;
            this.latency = latency;
            this.bytes = bytes;
        }
    }
}
