package io.github.infer4j.backend.lpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infer4j.Infer4jException;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LpuPlannerTest {
    private static final LpuConfig CHIP = LpuConfig.groqChip1();

    @Test
    void aModelThatDoesNotFitSaysHowManyChipsItNeeds() {
        ModelShape shape = ModelShape.named("llama2-13b");
        Infer4jException e = (Infer4jException) org.assertj.core.api.Assertions.catchThrowable(
                () -> LpuPlanner.plan(shape, LpuPrecision.INT8, CHIP, 32, 64, 64));
        assertThat(e).hasMessageContaining("does not fit on 32 chips").hasMessageContaining("needs at least");
        Matcher m = Pattern.compile("needs at least (\\d+) chips").matcher(e.getMessage());
        assertThat(m.find()).isTrue();
        int needed = Integer.parseInt(m.group(1));
        assertThat(needed).isGreaterThan(32);
        assertThat(LpuPlanner.plan(shape, LpuPrecision.INT8, CHIP, needed, 64, 64).chipsUsed()).isEqualTo(needed);
        assertThatThrownBy(() -> LpuPlanner.plan(shape, LpuPrecision.INT8, CHIP, needed - 8, 64, 64))
                .hasMessageContaining("needs at least " + needed);
    }

    /** Weights take twice the bytes; the KV cache and activations stay the same, so the total less than doubles. */
    @Test
    void fp16WeightsNeedAboutTwiceTheSram() {
        LpuReport int8 = LpuPlanner.plan(ModelShape.named("llama2-7b"), LpuPrecision.INT8, CHIP, 512, 16, 16);
        LpuReport fp16 = LpuPlanner.plan(ModelShape.named("llama2-7b"), LpuPrecision.FP16, CHIP, 512, 16, 16);
        assertThat((double) fp16.maxSramBytes() / int8.maxSramBytes()).isBetween(1.6, 2.0);
        assertThatThrownBy(() -> LpuPlanner.plan(ModelShape.named("llama2-70b"), LpuPrecision.FP16, CHIP, 576, 64, 64))
                .hasMessageContaining("does not fit on 576 chips");
    }

    @Test
    void cyclesByKindAddUpToThePass() {
        LpuReport r = LpuPlanner.plan(ModelShape.named("stories260k"), LpuPrecision.INT8, CHIP, 1, 32, 32);
        long sum = r.decodeCyclesByKind().values().stream().mapToLong(Long::longValue).sum();
        assertThat(sum).isEqualTo(r.decodeCycles());
        assertThat(r.decodeCyclesByKind()).containsKeys("matmul", "attention", "norm", "rope");
        assertThat(r.decodeUtilisation().get("MXM install")).isGreaterThan(0);
        assertThat(r.table()).contains("tokens/s per user").contains("time to first token");
    }

    @Test
    void aFasterClockScalesTheTimeButNotTheCycles() {
        LpuReport slow = LpuPlanner.plan(ModelShape.named("stories260k"), LpuPrecision.INT8, CHIP, 1, 16, 16);
        LpuReport fast = LpuPlanner.plan(ModelShape.named("stories260k"), LpuPrecision.INT8,
                LpuConfig.groqChip1At1250MHz(), 1, 16, 16);
        assertThat(fast.decodeCycles()).isEqualTo(slow.decodeCycles());
        assertThat(fast.tokensPerSecondPerUser() / slow.tokensPerSecondPerUser()).isEqualTo(1250.0 / 900.0,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void longerPromptsTakeLongerToTheFirstToken() {
        LpuReport shortPrompt = LpuPlanner.plan(ModelShape.named("llama2-7b"), LpuPrecision.INT8, CHIP, 512, 16, 16);
        LpuReport longPrompt = LpuPlanner.plan(ModelShape.named("llama2-7b"), LpuPrecision.INT8, CHIP, 512, 512, 16);
        assertThat(longPrompt.prefillCycles()).isGreaterThan(shortPrompt.prefillCycles());
        assertThat(longPrompt.decodeCycles()).isGreaterThanOrEqualTo(shortPrompt.decodeCycles());
    }

    @Test
    void planningIsDeterministicDownToTheTraceBytes() throws Exception {
        LpuReport a = LpuPlanner.plan(ModelShape.named("stories260k"), LpuPrecision.INT8, CHIP, 16, 32, 32);
        LpuReport b = LpuPlanner.plan(ModelShape.named("stories260k"), LpuPrecision.INT8, CHIP, 16, 32, 32);
        assertThat(b.table()).isEqualTo(a.table());
        String trace = a.traceJson();
        assertThat(b.traceJson()).isEqualTo(trace);
        JsonNode json = new ObjectMapper().readTree(trace);
        JsonNode events = json.get("traceEvents");
        assertThat(events.size()).isGreaterThan(1000);
        long spans = 0;
        for (JsonNode e : events) {
            if (e.get("ph").asText().equals("X")) {
                spans++;
                assertThat(e.get("dur").asDouble()).isPositive();
                assertThat(e.get("args").get("cycles").asLong()).isNotNegative();
            }
        }
        assertThat(spans).isGreaterThan(1000);
    }

    @Test
    void badWorkloadsAreRejected() {
        ModelShape s = ModelShape.named("stories260k");
        assertThatThrownBy(() -> LpuPlanner.plan(s, LpuPrecision.INT8, CHIP, 1, 0, 4)).hasMessageContaining("prompt");
        assertThatThrownBy(() -> LpuPlanner.plan(s, LpuPrecision.INT8, CHIP, 1, 500, 100))
                .hasMessageContaining("context of 512");
        assertThatThrownBy(() -> LpuPlanner.plan(s, LpuPrecision.INT8, CHIP, 0, 4, 4)).hasMessageContaining("chips");
        assertThatThrownBy(() -> ModelShape.named("llama9")).hasMessageContaining("llama2-70b");
    }
}
