package io.github.infer4j.examples.pull;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void showsShareSizesAndSpeedOfTheNewBytes() {
        ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), "m.gguf", 4 * MIB, MIB);

        assertThat(bar.render(2 * MIB, 1_000_000_000L))
                .isEqualTo("m.gguf  50% [===============               ] 2.0 MiB / 4.0 MiB  1.0 MiB/s");
    }

    @Test
    void showsOnlyBytesWhenTheSizeIsUnknown() {
        ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), "m.gguf", -1, 0);

        assertThat(bar.render(3 * MIB, 2_000_000_000L)).isEqualTo("m.gguf 3.0 MiB  1.5 MiB/s");
    }
}
