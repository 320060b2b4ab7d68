package io.github.infer4j.examples.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {
    private static final ModelSummary MODEL =
            new ModelSummary("C:\\models\\\"odd\".gguf", "llama 1B Q4_0", 1L << 30, 1_235_814_400L, "cpu-vector", 2);

    @Test
    void rowReadsLikeLlamaBench() {
        TestResult tg = new TestResult(new BenchTest(BenchTest.Kind.GENERATION, 128),
                new long[] {10_000_000_000L, 10_000_000_000L}, 0);

        assertThat(BenchReport.tableRow(MODEL, tg)).isEqualTo(
                "| llama 1B Q4_0                  |   1.00 GiB |     1.24 B | cpu-vector |       2 |           tg128 "
                        + "|         12.80 ± 0.00 |");
        assertThat(BenchReport.memoryLine(-1)).contains("not reported");
        assertThat(BenchReport.memoryLine(3L << 29)).isEqualTo("peak RSS: 1536.0 MiB");
    }

    @Test
    void jsonStringsAreEscaped() {
        TestResult pp = new TestResult(new BenchTest(BenchTest.Kind.PROMPT, 4), new long[] {1_000_000_000L}, 5);
        assertThat(BenchReport.json(MODEL, List.of(pp)))
                .contains("\"model_filename\": \"C:\\\\models\\\\\\\"odd\\\".gguf\"", "\"test\": \"pp4\"",
                        "\"samples_ts\": [4.000000]", "\"peak_rss_bytes\": 5");
    }
}
