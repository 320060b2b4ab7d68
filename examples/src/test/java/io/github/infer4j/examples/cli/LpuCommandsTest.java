package io.github.infer4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infer4j.testkit.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lpu-plan} and {@code generate --backend lpu-sim}. */
class LpuCommandsTest {
    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void lpuPlanPrintsTheTableAndWritesTheTrace() throws Exception {
        Path trace = home.resolve("plan.json");

        CliRunner.Result result = cli().run("lpu-plan", "--shape", "stories260k", "--chips", "8", "--prompt", "32",
                "--output", "32", "--set", "clock-mhz=1000", "--trace", trace.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("stories260k (0.29 M parameters), int8 weights", "4-way tensor parallel x 2 pipeline stages",
                "1000 MHz", "time to first token", "tokens/s per user", "decode cycles by kernel kind");
        assertThat(result.err()).contains("trace written to " + trace);
        assertThat(new ObjectMapper().readTree(Files.readString(trace)).get("traceEvents").size()).isGreaterThan(100);
    }

    @Test
    void lpuPlanSaysHowManyChipsAModelNeeds() {
        CliRunner.Result result = cli().run("lpu-plan", "--shape", "llama2-70b", "--chips", "64", "--trace",
                home.resolve("t.json").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("infer4j: llama2-70b does not fit on 64 chips").contains("needs at least");
    }

    @Test
    void lpuPlanRejectsAnUnknownShape() {
        CliRunner.Result result = cli().run("lpu-plan", "--shape", "gpt-5", "--chips", "1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("unknown model shape 'gpt-5'", "llama2-70b");
    }

    @Test
    void generateOnTheSimulatorPrintsTheSimulatedFiguresNextToTheHostOnes() {
        String model = SharedModels.file("stories260K.gguf").toString();

        CliRunner.Result result = cli().run("generate", "-m", model, "-p", "", "-n", "20", "--temp", "0",
                "--backend", "lpu-sim", "-o", "lpu.chips=2");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith(" Once upon a time,");
        assertThat(result.err()).contains("generation: 20 tokens", "lpu-sim reports:", "lpu.time_to_first_token",
                "lpu.decode", "tokens/s per user", "2 of 2 chips");
    }
}
