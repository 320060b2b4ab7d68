package io.github.infer4j.sampling;

import io.github.infer4j.Infer4jException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplerConfigTest {

    @Test
    void defaultsAreLlamaCppDefaults() {
        SamplerConfig cfg = SamplerConfig.defaults();
        assertThat(cfg.temperature()).isEqualTo(0.8f);
        assertThat(cfg.topK()).isEqualTo(40);
        assertThat(cfg.topP()).isEqualTo(0.95f);
        assertThat(cfg.minP()).isEqualTo(0.05f);
        assertThat(cfg.repeatPenalty()).isEqualTo(1.0f);
        assertThat(cfg.repeatLastN()).isEqualTo(64);
        assertThat(cfg.frequencyPenalty()).isZero();
        assertThat(cfg.presencePenalty()).isZero();
        assertThat(cfg.penalizes()).isFalse();
    }

    @Test
    void defaultsDrawAFreshSeedEachTime() {
        assertThat(SamplerConfig.defaults().seed()).isNotEqualTo(SamplerConfig.defaults().seed());
    }

    @Test
    void greedyHasZeroTemperatureAndNoPenalties() {
        SamplerConfig cfg = SamplerConfig.greedy();
        assertThat(cfg.temperature()).isZero();
        assertThat(cfg.penalizes()).isFalse();
    }

    @Test
    void withersChangeOnlyTheirField() {
        SamplerConfig base = SamplerConfig.defaults().withSeed(7);
        assertThat(base.withTemperature(0.2f)).isEqualTo(new SamplerConfig(0.2f, 40, 0.95f, 0.05f, 1f, 64, 0f, 0f, 7));
        assertThat(base.withTopK(5)).isEqualTo(new SamplerConfig(0.8f, 5, 0.95f, 0.05f, 1f, 64, 0f, 0f, 7));
        assertThat(base.withTopP(0.5f)).isEqualTo(new SamplerConfig(0.8f, 40, 0.5f, 0.05f, 1f, 64, 0f, 0f, 7));
        assertThat(base.withMinP(0.1f)).isEqualTo(new SamplerConfig(0.8f, 40, 0.95f, 0.1f, 1f, 64, 0f, 0f, 7));
        assertThat(base.withRepeatPenalty(1.1f)).isEqualTo(new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1.1f, 64, 0f, 0f, 7));
        assertThat(base.withRepeatLastN(-1)).isEqualTo(new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1f, -1, 0f, 0f, 7));
        assertThat(base.withFrequencyPenalty(0.3f)).isEqualTo(new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1f, 64, 0.3f, 0f, 7));
        assertThat(base.withPresencePenalty(0.4f)).isEqualTo(new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1f, 64, 0f, 0.4f, 7));
        assertThat(base.withSeed(9).seed()).isEqualTo(9);
    }

    @Test
    void penalizesOnlyWhenAPenaltyIsActiveOverANonEmptyWindow() {
        SamplerConfig off = SamplerConfig.greedy().withRepeatLastN(64);
        assertThat(off.penalizes()).isFalse();
        assertThat(off.withRepeatPenalty(1.1f).penalizes()).isTrue();
        assertThat(off.withFrequencyPenalty(0.1f).penalizes()).isTrue();
        assertThat(off.withPresencePenalty(0.1f).penalizes()).isTrue();
        assertThat(off.withRepeatPenalty(1.1f).withRepeatLastN(0).penalizes()).isFalse();
    }

    @Test
    void rejectsValuesOutOfRangeWithTheirName() {
        SamplerConfig cfg = SamplerConfig.greedy();
        assertThatThrownBy(() -> cfg.withTopP(1.5f)).isInstanceOf(Infer4jException.class)
                .hasMessage("topP must be in (0,1], got 1.5");
        assertThatThrownBy(() -> cfg.withTopP(0f)).hasMessage("topP must be in (0,1], got 0.0");
        assertThatThrownBy(() -> cfg.withTopP(Float.NaN)).hasMessage("topP must be in (0,1], got NaN");
        assertThatThrownBy(() -> cfg.withMinP(-0.1f)).hasMessage("minP must be in [0,1], got -0.1");
        assertThatThrownBy(() -> cfg.withTopK(-1)).hasMessage("topK must be >= 0 (0 keeps every token), got -1");
        assertThatThrownBy(() -> cfg.withRepeatPenalty(0f))
                .hasMessage("repeatPenalty must be a finite value > 0 (1 is off), got 0.0");
        assertThatThrownBy(() -> cfg.withRepeatLastN(-2))
                .hasMessage("repeatLastN must be >= -1 (-1 = whole history, 0 = off), got -2");
        assertThatThrownBy(() -> cfg.withTemperature(Float.NaN)).hasMessage("temperature must be a finite number, got NaN");
        assertThatThrownBy(() -> cfg.withFrequencyPenalty(Float.POSITIVE_INFINITY))
                .hasMessage("frequencyPenalty must be a finite number, got Infinity");
        assertThatThrownBy(() -> cfg.withPresencePenalty(Float.NEGATIVE_INFINITY))
                .hasMessage("presencePenalty must be a finite number, got -Infinity");
    }
}
