package io.github.infer4j.backend.lpu;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The planner against Groq's published single-user speeds on its 576-chip system (docs/LPU.md): Llama-2-70B is the
 * one calibration point (the collective overhead is fitted to it), Llama-2-7B and Mixtral-8x7B are predictions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishedFiguresTest {
    private static final int CHIPS = 576;
    private static final int PROMPT = 128;
    private static final int OUTPUT = 128;

    private LpuReport llama70b;
    private double llama70bSeconds;
    private LpuReport llama7b;
    private LpuReport mixtral;

    private static LpuReport plan(String shape) {
        return LpuPlanner.plan(ModelShape.named(shape), LpuPrecision.INT8, LpuConfig.groqChip1(), CHIPS, PROMPT, OUTPUT);
    }

    @BeforeAll
    void planThem() {
        long start = System.nanoTime();
        llama70b = plan("llama2-70b");
        llama70bSeconds = (System.nanoTime() - start) / 1e9;
        llama7b = plan("llama2-7b");
        mixtral = plan("mixtral-8x7b");
    }

    @Test
    void llama2_70bIsTheCalibrationPoint() {
        assertThat(llama70b.tokensPerSecondPerUser()).isCloseTo(300, within(300 * 0.25));
        assertThat(llama70b.tokensPerSecondPerUser()).isCloseTo(300, within(1.0));
        assertThat(llama70b.tensorParallel()).isEqualTo(8);
        assertThat(llama70b.pipelineStages()).isEqualTo(72);
        assertThat(llama70b.chipsUsed()).isEqualTo(CHIPS);
    }

    @Test
    void llama2_7bIsPredictedWithinAQuarter() {
        assertThat(llama7b.tokensPerSecondPerUser()).isCloseTo(750, within(750 * 0.25));
    }

    @Test
    void mixtral8x7bIsPredictedWithinAQuarter() {
        assertThat(mixtral.tokensPerSecondPerUser()).isCloseTo(480, within(480 * 0.25));
        assertThat(mixtral.mappingDescription()).contains("256 expert chips");
    }

    @Test
    void planningLlama2_70bOn576ChipsIsQuick() {
        assertThat(llama70bSeconds).isLessThan(60);
    }

    @Test
    void everyChipFitsItsShareInSramAndTheLinksCarryTheTransfers() {
        for (LpuReport r : new LpuReport[] {llama70b, llama7b, mixtral}) {
            assertThat(r.maxSramOccupancy()).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(r.meanSramOccupancy()).isLessThanOrEqualTo(r.maxSramOccupancy());
            assertThat(r.decodeLinkUtilisation()).isGreaterThan(0).isLessThan(1);
        }
    }
}
