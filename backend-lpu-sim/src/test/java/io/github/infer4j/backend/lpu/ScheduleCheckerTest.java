package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hand-made schedules with one hazard each are compile errors; a compiled schedule passes until it is tampered with. */
class ScheduleCheckerTest {
    private final LpuConfig config = LpuConfig.groqChip1();
    private final Floorplan plan = new Floorplan(config);
    private final int slice = plan.activationSlices()[0];
    private final int slicePos = plan.memPos(slice);
    private final int vxmPos = plan.vxmPos();

    /** A read of one vector a cycle from {@code slice} onto eastward stream {@code stream}, towards the vector unit. */
    private Instr read(int id, int slice, long start, int cycles, int stream, int value) {
        int pos = plan.memPos(slice);
        int latency = config.memReadLatency();
        long band = start + latency - pos;
        return new Instr(id, 0, Opcode.READ, new int[] {plan.memRead(slice)}, start, cycles, latency, pos, 0,
                new int[] {stream}, plan.segments(pos, vxmPos), vxmPos, band, band + cycles, 320L * cycles,
                new int[0], new boolean[0], new int[0], value);
    }

    private Instr vector(int id, long start, int cycles, int... links) {
        return new Instr(id, 0, Opcode.VECTOR, new int[] {plan.vxm(0)}, start, cycles, config.vxmLatency(), vxmPos, 0,
                new int[0], 0, vxmPos, 0, 0, 320L * cycles, new int[0], new boolean[0], links, -1);
    }

    private Instr write(int id, int slice, long start, int cycles, int value) {
        return new Instr(id, 0, Opcode.WRITE, new int[] {plan.memWrite(slice)}, start, cycles, 0, plan.memPos(slice), 0,
                new int[0], 0, plan.memPos(slice), 0, 0, 320L * cycles, new int[0], new boolean[0], new int[0], value);
    }

    private long arrival(Instr read) {
        return read.start() + read.latency() + Math.abs(vxmPos - read.pos());
    }

    private void check(List<Instr> instrs) {
        ScheduleChecker.check(instrs, plan, config);
    }

    @Test
    void aConsumerFiringWhenItsStreamArrivesPasses() {
        Instr r = read(0, slice, 0, 4, 0, 7);
        assertThatCode(() -> check(List.of(r, vector(1, arrival(r), 4, 0)))).doesNotThrowAnyException();
    }

    @Test
    void twoReadsOfOneSlicePortInOneCycleAreRejected() {
        Instr a = read(0, slice, 0, 4, 0, 7);
        Instr b = read(1, slice, 3, 4, 1, 8);
        assertThatThrownBy(() -> check(List.of(a, b))).isInstanceOf(Infer4jException.class)
                .hasMessageContaining("SRAM port over-subscribed").hasMessageContaining("MEM" + slice + ".read")
                .hasMessageContaining("cycle 3");
    }

    @Test
    void twoWritersOnOneStreamRegisterInOneCycleAreRejected() {
        int other = plan.activationSlices()[1];
        Instr a = read(0, slice, 10, 4, 5, 7);
        // The second read starts one position further west one cycle earlier: both vectors meet at the first slice.
        Instr b = read(1, other, 10 - (slicePos - plan.memPos(other)), 4, 5, 8);
        assertThatThrownBy(() -> check(List.of(a, b))).isInstanceOf(Infer4jException.class)
                .hasMessageContaining("two writers on stream register E5");
    }

    @Test
    void aConsumerFiringBeforeItsStreamArrivesIsRejected() {
        Instr r = read(0, slice, 0, 4, 0, 7);
        assertThatThrownBy(() -> check(List.of(r, vector(1, arrival(r) - 1, 4, 0))))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("consumer fires before its data arrives");
        assertThatThrownBy(() -> check(List.of(r, vector(1, arrival(r) + 1, 4, 0))))
                .hasMessageContaining("data passes its consumer");
    }

    @Test
    void aReadOfAValueBeforeItsWriteLandsIsRejected() {
        int other = plan.activationSlices()[1];
        Instr w = write(0, other, 0, 2, 7);
        long readable = w.ready(config.memWriteLatency());
        assertThatCode(() -> check(List.of(w, read(1, slice, readable, 2, 0, 7)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> check(List.of(w, read(1, slice, readable - 1, 2, 0, 7))))
                .hasMessageContaining("consumer fires before its data arrives").hasMessageContaining("value 7");
    }

    @Test
    void aCompiledScheduleIsCleanUntilOneInstructionMoves() {
        Step step = new Step(new Kernel.MatMul("w", 640, 1280, LpuPrecision.INT8), 1, 2, new int[] {0}, false, -1);
        List<Instr> instrs = Lowering.schedule(List.of(step), Map.of(0, 2), config, 3, 320, 2).instructions();
        assertThatCode(() -> check(instrs)).doesNotThrowAnyException();
        Instr matmul = instrs.stream().filter(i -> i.op() == Opcode.MATMUL).skip(5).findFirst().orElseThrow();
        List<Instr> moved = new ArrayList<>(instrs);
        moved.set(matmul.id(), new Instr(matmul.id(), matmul.step(), matmul.op(), matmul.units(), matmul.start() - 1,
                matmul.duration(), matmul.latency(), matmul.pos(), matmul.streamDir(), matmul.streams(),
                matmul.segments(), matmul.streamTo(), matmul.bandStart(), matmul.bandEnd(), matmul.bytes(),
                matmul.deps(), matmul.depDone(), matmul.links(), matmul.value()));
        assertThatThrownBy(() -> check(moved)).isInstanceOf(Infer4jException.class)
                .hasMessageContaining("LPU schedule hazard");
    }
}
