package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LpuConfigTest {
    private final LpuConfig chip = LpuConfig.groqChip1();

    @Test
    void peakFiguresFollowFromTheSlices() {
        assertThat(chip.vectorBytes()).isEqualTo(320);
        assertThat(chip.int8MacsPerCycle()).isEqualTo(409_600);
        assertThat(chip.fp16MacsPerCycle()).isEqualTo(102_400);
        assertThat(chip.vxmAlus()).isEqualTo(5_120);
        assertThat(chip.clockHz()).isEqualTo(900e6);
        // 2 x 409,600 MACs x 900 MHz; Groq quotes "about 750 TOPS" and 188 fp16 TFLOPS.
        assertThat(chip.int8Tops()).isCloseTo(737.28, within(1e-9));
        assertThat(chip.fp16Tflops()).isCloseTo(184.32, within(1e-9));
        assertThat(chip.sramBytes()).isEqualTo(220L * 1024 * 1024);
        assertThat(chip.memSlices()).isEqualTo(88);
    }

    @Test
    void linksCarryFourteenGigabytesPerSecondEachWay() {
        assertThat(chip.c2cLinks()).isEqualTo(16);
        assertThat(chip.linkBytesPerSecond()).isEqualTo(14e9);
        assertThat(chip.linkBytesPerCycle()).isCloseTo(14e9 / 900e6, within(1e-9));
        assertThat(chip.hopLatencyCycles()).isEqualTo(540);
        assertThat(chip.chipsPerNode()).isEqualTo(8);
        assertThat(chip.maxChips()).isEqualTo(10_440);
    }

    @Test
    void presetsScaleTheClockOrAreMarkedEstimated() {
        LpuConfig fast = LpuConfig.preset("groqchip1-1.25ghz");
        assertThat(fast.int8Tops()).isCloseTo(1024.0, within(1e-9));
        assertThat(fast.estimated()).isFalse();
        LpuConfig next = LpuConfig.preset("next-gen-estimate");
        assertThat(next.estimated()).isTrue();
        assertThat(next.toString()).contains("ESTIMATED");
        assertThat(next.sramBytes() / 1e6).isBetween(450.0, 550.0);
        assertThat(next.sramBytesPerSecond() / 1e12).isBetween(140.0, 160.0);
        assertThat(LpuConfig.presetNames()).allSatisfy(name -> assertThat(LpuConfig.preset(name).name()).isEqualTo(name));
    }

    @Test
    void everyFigureCanBeOverriddenByItsKey() {
        LpuConfig slow = chip.with("clock-mhz", "450").with(LpuConfig.Figure.HOP_LATENCY_NS, 1000);
        assertThat(slow.int8Tops()).isCloseTo(368.64, within(1e-9));
        assertThat(slow.hopLatencyCycles()).isEqualTo(450);
        for (LpuConfig.Figure f : LpuConfig.Figure.values()) {
            assertThat(chip.with(f.key(), Double.toString(chip.value(f))).value(f)).isEqualTo(chip.value(f));
        }
    }

    @Test
    void badFiguresAreRejectedWithTheirKey() {
        assertThatThrownBy(() -> chip.with("clock", "900")).isInstanceOf(Infer4jException.class)
                .hasMessageContaining("clock").hasMessageContaining("clock-mhz");
        assertThatThrownBy(() -> chip.with("mem-slices", "-2")).hasMessageContaining("mem-slices");
        assertThatThrownBy(() -> chip.with("mxm-planes", "2.5")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> chip.with("superlanes", "many")).hasMessageContaining("number");
        assertThatThrownBy(() -> chip.with("install-streams", "20")).hasMessageContaining("streams");
        assertThatThrownBy(() -> LpuConfig.preset("groqchip9")).hasMessageContaining("groqchip1");
    }
}
