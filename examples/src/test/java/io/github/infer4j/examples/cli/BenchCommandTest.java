package io.github.infer4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infer4j.synthetic.ModelShape;
import io.github.infer4j.synthetic.SyntheticLlama;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code infer4j bench} on a tiny synthetic model: llama-bench's table, JSON, and argument checks. */
class BenchCommandTest {
    @TempDir
    static Path dir;

    private static String model;

    @BeforeAll
    static void writeModel() {
        model = SyntheticLlama.builder().shape(ModelShape.named("tiny")).weightType(DType.Q8_0)
                .write(dir.resolve("tiny.gguf")).toString();
    }

    private static CliRunner cli() {
        return new CliRunner(dir);
    }

    @Test
    void printsLlamaBenchsTableWithPeakMemory() {
        CliRunner.Result result = cli().run("bench", "-m", model, "-p", "8", "-n", "4", "-r", "2", "-t", "1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        String[] lines = result.out().split("\n");
        assertThat(lines[0]).matches("\\| model +\\| +size \\| +params \\| backend +\\| threads \\| +test \\| +t/s \\|");
        assertThat(lines[1]).matches("\\| -+ \\| -+: \\| -+: \\| -+ \\| -+: \\| -+: \\| -+: \\|");
        assertThat(lines[2]).matches("\\| llama 93K Q8_0 +\\| +0\\.10 MiB \\| +0\\.09 M \\| cpu-vector +\\| +1 \\| +pp8 \\| "
                + "+[0-9]+\\.[0-9]{2} ± [0-9]+\\.[0-9]{2} \\|");
        assertThat(lines[3]).matches("\\| llama 93K Q8_0 .* \\| +tg4 \\| +[0-9]+\\.[0-9]{2} ± [0-9]+\\.[0-9]{2} \\|");
        assertThat(lines[0]).hasSameSizeAs(lines[1]).hasSameSizeAs(lines[2]).hasSameSizeAs(lines[3]);
        assertThat(lines[4]).isEmpty();
        assertThat(lines[5]).matches("peak RSS: [0-9]+\\.[0-9] MiB");
    }

    @Test
    void jsonHasOneObjectPerTestWithEveryTimedRun() throws Exception {
        CliRunner.Result result = cli().run("bench", "-m", model, "-p", "8", "-n", "4", "-r", "3", "-t", "1",
                "--backend", "reference", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode tests = new ObjectMapper().readTree(result.out());
        assertThat(tests.size()).isEqualTo(2);
        JsonNode pp = tests.get(0);
        assertThat(pp.get("test").asText()).isEqualTo("pp8");
        assertThat(pp.get("n_prompt").asInt()).isEqualTo(8);
        assertThat(pp.get("n_gen").asInt()).isZero();
        assertThat(pp.get("backend").asText()).isEqualTo("reference");
        assertThat(pp.get("n_threads").asInt()).isEqualTo(1);
        assertThat(pp.get("model_filename").asText()).isEqualTo(model);
        assertThat(pp.get("model_n_params").asLong()).isEqualTo(93312);
        assertThat(tests.get(1).get("test").asText()).isEqualTo("tg4");
        assertThat(tests.get(1).get("n_gen").asInt()).isEqualTo(4);
        for (JsonNode test : tests) {
            JsonNode speeds = test.get("samples_ts");
            JsonNode nanos = test.get("samples_ns");
            assertThat(speeds.size()).isEqualTo(3);
            assertThat(nanos.size()).isEqualTo(3);
            int tokens = test.get("n_prompt").asInt() + test.get("n_gen").asInt();
            double sum = 0;
            for (int i = 0; i < 3; i++) {
                assertThat(speeds.get(i).asDouble()).isCloseTo(tokens * 1e9 / nanos.get(i).asLong(), within(1e-3));
                sum += speeds.get(i).asDouble();
            }
            assertThat(test.get("avg_ts").asDouble()).isCloseTo(sum / 3, within(1e-3));
            assertThat(test.get("stddev_ts").asDouble()).isPositive();
            assertThat(test.get("peak_rss_bytes").asLong()).isGreaterThan(1 << 20);
        }
    }

    @Test
    void zeroSkipsATest() throws Exception {
        CliRunner.Result result = cli().run("bench", "-m", model, "-p", "0", "-n", "2", "-r", "1", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode tests = new ObjectMapper().readTree(result.out());
        assertThat(tests.size()).isEqualTo(1);
        assertThat(tests.get(0).get("test").asText()).isEqualTo("tg2");
        assertThat(tests.get(0).get("stddev_ts").asDouble()).as("one run has no spread").isZero();
    }

    @Test
    void impossibleArgumentsAreInvalidInput() {
        CliRunner.Result nothing = cli().run("bench", "-m", model, "-p", "0", "-n", "0");
        CliRunner.Result noRuns = cli().run("bench", "-m", model, "-r", "0");
        CliRunner.Result smallContext = cli().run("bench", "-m", model, "-p", "64", "-n", "0", "-c", "32");

        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).startsWith("infer4j: -p and -n").hasLineCount(1);
        assertThat(noRuns.exitCode()).isEqualTo(2);
        assertThat(noRuns.err()).startsWith("infer4j: -r must be at least 1").hasLineCount(1);
        assertThat(smallContext.exitCode()).isEqualTo(1);
        assertThat(smallContext.err()).contains("pp64", "32").hasLineCount(1);
    }
}
