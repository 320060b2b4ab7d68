package io.github.infer4j.backend.lpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Places instructions on one chip's timeline as the compiler emits them, in program order, each at the earliest
 * cycle its units, streams and inputs allow. Instructions joined by a stream are placed together as a
 * {@link Bundle}: a stream register holds a vector for one cycle only, so a consumer must fire exactly when the
 * producer's data reaches it ({@code producer.start + latency + distance}). Units and streams are never reused
 * before they are free (no back-filling), so the schedule is deterministic and simple to check.
 */
final class ChipScheduler {
    private final LpuConfig config;
    private final Floorplan plan;
    private final long[] unitFree;
    /** Per direction, stream and half of the chip: where the last band ends, in the frame moving with the data. */
    private final long[][][] bandFree;
    private final List<Instr> instrs = new ArrayList<>();
    private int step;

    ChipScheduler(LpuConfig config, Floorplan plan) {
        this.config = config;
        this.plan = plan;
        this.unitFree = new long[plan.unitCount()];
        this.bandFree = new long[2][config.streamsPerDirection()][2];
        for (long[][] dir : bandFree) {
            for (long[] stream : dir) {
                java.util.Arrays.fill(stream, Long.MIN_VALUE / 4);
            }
        }
    }

    Floorplan plan() {
        return plan;
    }

    LpuConfig config() {
        return config;
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

    /** A group of instructions whose relative timing the streams between them fix. */
    final class Bundle {
        private final List<Member> members = new ArrayList<>();

        /** Adds an instruction that occupies {@code count} of the units in {@code pool} (the earliest free ones). */
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

        /** Places every member and returns their instruction ids, in the order they were added. */
        int[] place() {
            int n = members.size();
            long[] offset = offsets();
            long t = 0;
            java.util.Set<Integer> taken = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                Member m = members.get(i);
                t = Math.max(t, -offset[i]);
                m.chosen = earliest(m.pool, m.count, taken);
                for (int u : m.chosen) {
                    t = Math.max(t, unitFree[u] - offset[i]);
                }
                for (int d = 0; d < m.deps.size(); d++) {
                    Instr dep = instrs.get(m.deps.get(d));
                    long when = m.depDone.get(d) ? dep.done() : dep.ready(config.memWriteLatency());
                    t = Math.max(t, when - offset[i]);
                }
            }
            java.util.Set<Integer> takenStreams = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                Member m = members.get(i);
                if (m.consumer >= 0) {
                    Member c = members.get(m.consumer);
                    m.dir = c.pos >= m.pos ? 0 : 1;
                    m.segments = plan.segments(m.pos, c.pos);
                    m.streamIds = earliestStreams(m.dir, m.segments, m.streams, takenStreams);
                    for (int s : m.streamIds) {
                        // The band starts at tau = start + latency - sign * pos and must begin after the last one.
                        t = Math.max(t, bandFreeAt(m.dir, s, m.segments) + sign(m.dir) * m.pos - m.latency - offset[i]);
                    }
                }
            }
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
                        for (int seg = 0; seg < 2; seg++) {
                            if ((m.segments & (1 << seg)) != 0) {
                                bandFree[m.dir][s][seg] = bandEnd;
                            }
                        }
                    }
                }
                for (int u : m.chosen) {
                    unitFree[u] = start + m.duration;
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

        /**
         * The {@code count} units of {@code pool} that are free first, skipping those another member of this bundle
         * took: members of a bundle overlap in time, so they cannot share a unit.
         */
        private int[] earliest(int[] pool, int count, java.util.Set<Integer> taken) {
            List<Integer> free = new ArrayList<>();
            for (int u : pool) {
                if (!taken.contains(u)) {
                    free.add(u);
                }
            }
            if (free.size() < count) {
                throw new IllegalStateException("a bundle needs " + count + " more units of " + plan.nameOf(pool[0])
                        + "'s kind than remain free in it");
            }
            free.sort((a, b) -> unitFree[a] != unitFree[b] ? Long.compare(unitFree[a], unitFree[b])
                    : Integer.compare(a, b));
            int[] chosen = new int[count];
            for (int i = 0; i < count; i++) {
                chosen[i] = free.get(i);
                taken.add(chosen[i]);
            }
            Arrays.sort(chosen);
            return chosen;
        }

        /** The {@code count} streams free first, skipping those of the same direction this bundle already uses. */
        private int[] earliestStreams(int dir, int segments, int count, java.util.Set<Integer> taken) {
            int total = config.streamsPerDirection();
            List<Integer> free = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                if (!taken.contains(dir * total + i)) {
                    free.add(i);
                }
            }
            if (free.size() < count) {
                throw new IllegalStateException("a bundle needs " + count + " more streams than the " + total
                        + " of a direction it has left");
            }
            free.sort((a, b) -> {
                long fa = bandFreeAt(dir, a, segments);
                long fb = bandFreeAt(dir, b, segments);
                return fa != fb ? Long.compare(fa, fb) : Integer.compare(a, b);
            });
            int[] chosen = new int[count];
            for (int i = 0; i < count; i++) {
                chosen[i] = free.get(i);
                taken.add(dir * total + chosen[i]);
            }
            Arrays.sort(chosen);
            return chosen;
        }
    }

    private long bandFreeAt(int dir, int stream, int segments) {
        long free = Long.MIN_VALUE / 4;
        for (int seg = 0; seg < 2; seg++) {
            if ((segments & (1 << seg)) != 0) {
                free = Math.max(free, bandFree[dir][stream][seg]);
            }
        }
        return free;
    }

    /** +1 for eastward streams (positions grow with time), -1 for westward. */
    static int sign(int dir) {
        return dir == 0 ? 1 : -1;
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
