package io.github.infer4j.backend.lpu;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infer4j.BackendStatus;
import io.github.infer4j.GenerationOptions;
import io.github.infer4j.GenerationResult;
import io.github.infer4j.Infer4j;
import io.github.infer4j.Infer4jException;
import io.github.infer4j.Model;
import io.github.infer4j.TokenListener;
import io.github.infer4j.sampling.SamplerConfig;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.testkit.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** lpu-sim through the public API, on stories260K. */
class LpuBackendTest {
    private static final GenerationOptions GREEDY = GenerationOptions.defaults().sampler(SamplerConfig.greedy());

    private static Model load(String file, Map<String, String> options) {
        Infer4j.Builder b = Infer4j.builder().backend("lpu-sim");
        options.forEach(b::option);
        return b.load(SharedModels.file(file));
    }

    @Test
    void isFoundAlwaysAvailableAndOfLowPriority() {
        BackendStatus lpu = Infer4j.backends().stream().filter(s -> s.name().equals("lpu-sim")).findFirst()
                .orElseThrow();
        assertThat(lpu.available()).isTrue();
        assertThat(lpu.priority()).isEqualTo(10);
    }

    @Test
    void generationReportsTheSimulatedFigures() {
        try (Model model = load("stories260K.gguf", Map.of())) {
            GenerationResult r = model.generate("Once upon a time", GREEDY.maxTokens(24), TokenListener.NONE);
            assertThat(r.tokens()).hasSize(24);
            Map<String, String> report = model.backendReport();
            assertThat(report).containsKeys("lpu.chip", "lpu.mapping", "lpu.passes", "lpu.time_to_first_token",
                    "lpu.decode", "lpu.busy");
            assertThat(report.get("lpu.decode")).startsWith("23 tokens").contains("tokens/s per user");
            assertThat(report.get("lpu.prompt")).startsWith("5 tokens in 1 passes");
            assertThat(report.get("lpu.mapping")).contains("1 of 1 chips");
        }
    }

    /** Splitting the heads over chips adds partial sums in another order only: F32 weights give the same text. */
    @Test
    void severalChipsGiveTheSameGreedyTokensAndPayForTheirCollectives() {
        int[] one;
        long oneChipCycles;
        try (Model model = load("stories260K.gguf", Map.of())) {
            one = model.generate("", GREEDY.maxTokens(40), TokenListener.NONE).tokens();
            oneChipCycles = cycles(model);
        }
        try (Model model = load("stories260K.gguf", Map.of(LpuBackendProvider.CHIPS, "8"))) {
            assertThat(model.generate("", GREEDY.maxTokens(40), TokenListener.NONE).tokens()).containsExactly(one);
            assertThat(model.backendReport().get("lpu.mapping")).contains("4-way tensor parallel x 2 pipeline stages");
            assertThat(cycles(model)).isGreaterThan(oneChipCycles);
        }
    }

    private static long cycles(Model model) {
        String passes = model.backendReport().get("lpu.passes");
        return Long.parseLong(passes.replaceAll(".* passes, ([0-9,]+) cycles.*", "$1").replace(",", ""));
    }

    @Test
    void runsAreDeterministicDownToTheTraceBytes(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");
        int[] tokens;
        Map<String, String> report;
        try (Model model = load("stories260K-Q8_0.gguf", Map.of(LpuBackendProvider.TRACE, first.toString()))) {
            tokens = model.generate("Lily", GREEDY.maxTokens(20), TokenListener.NONE).tokens();
            report = model.backendReport();
        }
        try (Model model = load("stories260K-Q8_0.gguf", Map.of(LpuBackendProvider.TRACE, second.toString()))) {
            assertThat(model.generate("Lily", GREEDY.maxTokens(20), TokenListener.NONE).tokens()).containsExactly(tokens);
            Map<String, String> again = model.backendReport();
            again.remove(LpuBackendProvider.TRACE);
            report.remove(LpuBackendProvider.TRACE);
            assertThat(again).isEqualTo(report);
        }
        byte[] trace = Files.readAllBytes(first);
        assertThat(Files.readAllBytes(second)).isEqualTo(trace);
        assertThat(new ObjectMapper().readTree(trace).get("traceEvents").size()).isGreaterThan(100);
    }

    @Test
    void simulatesAtLeastFiveTokensPerHostSecond() {
        try (Model model = load("stories260K.gguf", Map.of())) {
            long start = System.nanoTime();
            GenerationResult r = model.generate("", GREEDY.maxTokens(64), TokenListener.NONE);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(r.tokens().length / seconds).isGreaterThan(5);
        }
    }

    @Test
    void aModelTooBigForTheChipsSaysHowManyItNeeds() {
        assertThatThrownBy(() -> load("stories260K.gguf", Map.of("lpu.mem-slice-kib", "2")))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("does not fit on 1 chip").hasMessageContaining("needs at least");
        try (Model model = load("stories260K.gguf", Map.of("lpu.mem-slice-kib", "2", LpuBackendProvider.CHIPS, "8"))) {
            assertThat(model.generate("", GREEDY.maxTokens(4), TokenListener.NONE).tokens()).hasSize(4);
        }
    }

    @Test
    void aKvCacheTooBigForTheChipsIsRejectedWhenTheSessionStarts() {
        try (Model model = load("stories260K.gguf", Map.of("lpu.mem-slice-kib", "16", "context", "4096",
                "kv.type", "F32"))) {
            assertThatThrownBy(model::newSession).isInstanceOf(Infer4jException.class)
                    .hasMessageContaining("KV cache of 4096 positions").hasMessageContaining("lpu.chips");
        }
    }

    @Test
    void optionsChooseThePresetTheChipsAndAnyFigure() {
        LpuConfig c = LpuBackendProvider.config(new BackendOptions(Map.of(LpuBackendProvider.PRESET,
                "groqchip1-1.25ghz", "lpu.hop-latency-ns", "100", "threads", "3")));
        assertThat(c.name()).isEqualTo("groqchip1-1.25ghz");
        assertThat(c.hopLatencyCycles()).isEqualTo(125);
        assertThatThrownBy(() -> LpuBackendProvider.config(new BackendOptions(Map.of("lpu.preset", "tpu"))))
                .hasMessageContaining("groqchip1");
        assertThatThrownBy(() -> LpuBackendProvider.config(new BackendOptions(Map.of("lpu.clock", "1"))))
                .hasMessageContaining("unknown LPU figure 'clock'");
        assertThatThrownBy(() -> new LpuBackendProvider().create(new BackendOptions(Map.of("lpu.chips", "0"))))
                .hasMessageContaining("lpu.chips");
    }
}
