package io.github.infer4j.examples.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PeakMemoryTest {
    @Test
    void readsVmHwmInKibibytes() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 9000000 kB", "VmHWM:\t  123456 kB", "VmRSS:\t 1000 kB");
        assertThat(PeakMemory.parse(status)).isEqualTo(123456L * 1024);
    }

    @Test
    void missingOrOddFieldIsUnknown() {
        assertThat(PeakMemory.parse(List.of("Name:\tjava", "VmRSS:\t 1000 kB"))).isEqualTo(-1);
        assertThat(PeakMemory.parse(List.of("VmHWM:\t lots kB"))).isEqualTo(-1);
    }

    @Test
    void thisProcessReportsOnLinux() {
        long peak = PeakMemory.residentBytes();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(peak).isGreaterThan(Runtime.getRuntime().totalMemory() / 4);
        } else {
            assertThat(peak).isEqualTo(-1);
        }
    }
}
