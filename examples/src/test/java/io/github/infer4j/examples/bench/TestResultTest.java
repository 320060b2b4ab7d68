package io.github.infer4j.examples.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TestResultTest {
    @Test
    void speedsAreTokensOverTimeWithSampleStandardDeviation() {
        TestResult result = new TestResult(new BenchTest(BenchTest.Kind.GENERATION, 10),
                new long[] {1_000_000_000L, 2_000_000_000L, 500_000_000L}, 0);

        assertThat(result.samplesTokensPerSecond()).containsExactly(10, 5, 20);
        assertThat(result.meanTokensPerSecond()).isCloseTo(35.0 / 3, within(1e-9));
        // Squared deviations 2.7778 + 44.4444 + 69.4444 = 116.6667, over n - 1 = 2.
        assertThat(result.stddevTokensPerSecond()).isCloseTo(Math.sqrt(116.6666667 / 2), within(1e-6));
        assertThat(result.test().name()).isEqualTo("tg10");
    }

    @Test
    void oneRunHasNoSpreadAndNoRunIsRejected() {
        BenchTest pp = new BenchTest(BenchTest.Kind.PROMPT, 512);
        assertThat(new TestResult(pp, new long[] {2_000_000_000L}, 0).stddevTokensPerSecond()).isZero();
        assertThat(pp.name()).isEqualTo("pp512");
        assertThatThrownBy(() -> new TestResult(pp, new long[0], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BenchTest(BenchTest.Kind.PROMPT, 0)).hasMessageContaining("pp");
    }
}
