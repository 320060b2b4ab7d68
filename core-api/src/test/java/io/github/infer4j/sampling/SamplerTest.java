package io.github.infer4j.sampling;

import io.github.infer4j.Infer4jException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Statistical checks use a fixed seed, so they are deterministic; their tolerances are several standard
 * deviations wide so that a correct sampler passes for any seed.
 */
class SamplerTest {
    private static final TokenHistory NO_HISTORY = new TokenHistory();

    /** Plain random draw: no filters, temperature 1, so token frequencies follow the softmax. */
    private static final SamplerConfig PLAIN = new SamplerConfig(1f, 0, 1f, 0f, 1f, 0, 0f, 0f, 42);

    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    private static int[] histogram(Sampler sampler, float[] logits, int draws) {
        int[] counts = new int[logits.length];
        for (int i = 0; i < draws; i++) {
            counts[sampler.sample(logits.clone(), NO_HISTORY)]++;
        }
        return counts;
    }

    private static float[] randomLogits(Random random, int vocab) {
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) random.nextGaussian() * 3f;
        }
        return logits;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void greedyPicksTheArgmaxAndTiesGoToTheLowestId() {
        Sampler sampler = new Sampler(SamplerConfig.greedy(), 5);
        assertThat(sampler.sample(new float[] {0.1f, -2f, 7.5f, 7.4f, 0f}, NO_HISTORY)).isEqualTo(2);
        assertThat(sampler.sample(new float[] {1f, 4f, -1f, 4f, 4f}, NO_HISTORY)).isEqualTo(1);
        assertThat(sampler.sample(new float[] {Float.NEGATIVE_INFINITY, -9f, -3f, -3.5f, -8f}, NO_HISTORY)).isEqualTo(2);
    }

    @Test
    void zeroOrNegativeTemperatureIsGreedyEvenWithFilters() {
        float[] logits = logitsOf(0.2, 0.3, 0.5);
        for (float temperature : new float[] {0f, -1f}) {
            Sampler sampler = new Sampler(SamplerConfig.defaults().withTemperature(temperature), 3);
            assertThat(histogram(sampler, logits, 200)[2]).isEqualTo(200);
        }
    }

    @Test
    void topKOfOneEqualsGreedyAtAnyTemperature() {
        Random random = new Random(3);
        Sampler topOne = new Sampler(PLAIN.withTopK(1).withTemperature(2f), 1000);
        Sampler greedy = new Sampler(SamplerConfig.greedy(), 1000);
        for (int round = 0; round < 50; round++) {
            float[] logits = randomLogits(random, 1000);
            int expected = argmax(logits);
            assertThat(topOne.sample(logits.clone(), NO_HISTORY)).isEqualTo(expected);
            assertThat(greedy.sample(logits.clone(), NO_HISTORY)).isEqualTo(expected);
        }
    }

    @Test
    void drawsFollowTheSoftmax() {
        float[] logits = logitsOf(0.1, 0.2, 0.3, 0.4);
        int draws = 20_000;
        int[] counts = histogram(new Sampler(PLAIN, 4), logits, draws);
        for (int token = 0; token < 4; token++) {
            assertThat(counts[token] / (double) draws).as("token %d", token).isCloseTo(0.1 * (token + 1), within(0.015));
        }
    }

    @Test
    void temperatureSharpensTheDistribution() {
        float[] logits = {2f, 1f, 0f};
        int draws = 10_000;
        int[] counts = histogram(new Sampler(PLAIN.withTemperature(0.5f), 3), logits, draws);
        // At temperature 0.5 the logits count double: p0 = e^4 / (e^4 + e^2 + 1).
        double expected = Math.exp(4) / (Math.exp(4) + Math.exp(2) + 1);
        assertThat(counts[0] / (double) draws).isCloseTo(expected, within(0.015));
    }

    @Test
    void sameSeedRepeatsAndDifferentSeedsDiffer() {
        Random random = new Random(5);
        float[][] steps = new float[500][];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = randomLogits(random, 64);
        }
        SamplerConfig cfg = SamplerConfig.defaults().withTopK(0).withTemperature(1.5f);
        int[] first = run(new Sampler(cfg.withSeed(1234), 64), steps);
        int[] again = run(new Sampler(cfg.withSeed(1234), 64), steps);
        int[] other = run(new Sampler(cfg.withSeed(1235), 64), steps);
        assertThat(again).containsExactly(first);
        assertThat(other).isNotEqualTo(first);

        Sampler reused = new Sampler(cfg.withSeed(1234), 64);
        run(reused, steps);
        reused.reset();
        assertThat(run(reused, steps)).as("reset restarts the random stream").containsExactly(first);
    }

    private static int[] run(Sampler sampler, float[][] steps) {
        int[] tokens = new int[steps.length];
        for (int i = 0; i < steps.length; i++) {
            tokens[i] = sampler.sample(steps[i].clone(), NO_HISTORY);
        }
        return tokens;
    }

    @Test
    void topKNeverDrawsBeyondTheKBest() {
        Random random = new Random(8);
        int vocab = 50_000;
        float[] logits = randomLogits(random, vocab);
        float[] sorted = logits.clone();
        Arrays.sort(sorted);
        float fortiethBest = sorted[vocab - 40];
        Sampler sampler = new Sampler(PLAIN.withTopK(40).withTemperature(3f), vocab);
        boolean[] seen = new boolean[vocab];
        for (int i = 0; i < 2000; i++) {
            int token = sampler.sample(logits.clone(), NO_HISTORY);
            assertThat(logits[token]).isGreaterThanOrEqualTo(fortiethBest);
            seen[token] = true;
        }
        int distinct = 0;
        for (boolean s : seen) {
            distinct += s ? 1 : 0;
        }
        assertThat(distinct).as("at temperature 3 most of the 40 show up").isGreaterThan(30);
    }

    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        // Cumulative 0.5, 0.8, 0.95, 1.0: p = 0.75 keeps tokens 0 and 1 only, renormalised to 5/8 and 3/8.
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        int draws = 10_000;
        int[] counts = histogram(new Sampler(PLAIN.withTopP(0.75f), 4), logits, draws);
        assertThat(counts[2]).isZero();
        assertThat(counts[3]).isZero();
        assertThat(counts[0] / (double) draws).isCloseTo(0.625, within(0.02));
    }

    @Test
    void topPAppliesToTheTopKSurvivors() {
        // After top-k 2 the probabilities are 0.6 and 0.4, so p = 0.55 keeps only token 0;
        // over the whole vocabulary token 0 holds just 0.3, so p = 0.55 alone keeps more.
        float[] logits = logitsOf(0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1);
        int[] withTopK = histogram(new Sampler(PLAIN.withTopK(2).withTopP(0.55f), 7), logits, 1000);
        assertThat(withTopK[0]).isEqualTo(1000);
        int[] alone = histogram(new Sampler(PLAIN.withTopP(0.55f), 7), logits, 1000);
        assertThat(alone[1]).isPositive();
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheBest() {
        // Threshold 0.3 * 0.4 = 0.12: token 3 (0.1) goes, token 2 (0.2) stays.
        float[] logits = logitsOf(0.4, 0.3, 0.2, 0.1);
        int draws = 10_000;
        int[] counts = histogram(new Sampler(PLAIN.withMinP(0.3f), 4), logits, draws);
        assertThat(counts[3]).isZero();
        assertThat(counts[2] / (double) draws).isCloseTo(0.2 / 0.9, within(0.02));
    }

    @Test
    void maskedTokensAreNeverDrawn() {
        float[] logits = {Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY, 0f};
        int[] counts = histogram(new Sampler(PLAIN, 4), logits, 2000);
        assertThat(counts[0] + counts[2]).isZero();
        assertThat(counts[1]).isPositive();
        assertThat(counts[3]).isPositive();
    }

    @Test
    void repeatPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        Sampler sampler = new Sampler(SamplerConfig.greedy().withRepeatPenalty(2f).withRepeatLastN(64), 4);
        TokenHistory history = new TokenHistory();
        history.addAll(0, 2, 0);
        float[] logits = {3f, 2f, -1f, -1.5f};
        assertThat(sampler.sample(logits, history)).as("token 0 drops to 1.5, below token 1").isEqualTo(1);
        assertThat(logits).containsExactly(new float[] {1.5f, 2f, -2f, -1.5f}, within(1e-6f));
    }

    @Test
    void frequencyPenaltyCountsOccurrencesButPresencePenaltyDoesNot() {
        TokenHistory history = new TokenHistory();
        history.addAll(0, 0, 0, 1);
        SamplerConfig base = SamplerConfig.greedy().withRepeatLastN(64);

        float[] byFrequency = {1f, 0.9f, 0f};
        assertThat(new Sampler(base.withFrequencyPenalty(0.1f), 3).sample(byFrequency, history)).isEqualTo(1);
        assertThat(byFrequency).containsExactly(new float[] {0.7f, 0.8f, 0f}, within(1e-6f));

        float[] byPresence = {1f, 0.9f, 0f};
        assertThat(new Sampler(base.withPresencePenalty(0.1f), 3).sample(byPresence, history)).isEqualTo(0);
        assertThat(byPresence).containsExactly(new float[] {0.9f, 0.8f, 0f}, within(1e-6f));
    }

    @Test
    void penaltiesOnlyLookAtTheLastNTokens() {
        TokenHistory history = new TokenHistory();
        history.addAll(0, 3, 3, 3);
        SamplerConfig cfg = SamplerConfig.greedy().withRepeatPenalty(2f);
        assertThat(new Sampler(cfg.withRepeatLastN(3), 4).sample(new float[] {1f, 0.9f, 0f, 0f}, history)).isEqualTo(0);
        assertThat(new Sampler(cfg.withRepeatLastN(4), 4).sample(new float[] {1f, 0.9f, 0f, 0f}, history)).isEqualTo(1);
        assertThat(new Sampler(cfg.withRepeatLastN(-1), 4).sample(new float[] {1f, 0.9f, 0f, 0f}, history)).isEqualTo(1);
        assertThat(new Sampler(cfg.withRepeatLastN(0), 4).sample(new float[] {1f, 0.9f, 0f, 0f}, history)).isEqualTo(0);
    }

    @Test
    void aHistoryIdOutsideTheVocabularyIsRejectedAndLeavesNoTrace() {
        Sampler sampler = new Sampler(SamplerConfig.greedy().withRepeatLastN(8).withFrequencyPenalty(1f), 3);
        TokenHistory bad = new TokenHistory();
        bad.addAll(1, 1, 7);
        assertThatThrownBy(() -> sampler.sample(new float[3], bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id 7 at position 2, outside the vocabulary of 3 tokens");

        TokenHistory good = new TokenHistory();
        good.add(0);
        float[] logits = {1f, 1f, 0f};
        sampler.sample(logits, good);
        assertThat(logits).as("counts from the failed call must not leak").containsExactly(new float[] {0f, 1f, 0f}, within(1e-6f));
    }

    @Test
    void rejectsInvalidLogits() {
        Sampler sampler = new Sampler(PLAIN, 3);
        assertThatThrownBy(() -> sampler.sample(new float[2], NO_HISTORY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 3 logits (the vocabulary size), got 2");
        assertThatThrownBy(() -> sampler.sample(new float[] {0f, Float.NaN, 1f}, NO_HISTORY))
                .isInstanceOf(Infer4jException.class).hasMessageContaining("logit of token 1 is NaN");
        assertThatThrownBy(() -> sampler.sample(new float[] {Float.POSITIVE_INFINITY, 0f, 0f}, NO_HISTORY))
                .isInstanceOf(Infer4jException.class).hasMessageContaining("logit of token 0 is Infinity");
        float[] masked = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        assertThatThrownBy(() -> sampler.sample(masked, NO_HISTORY)).isInstanceOf(Infer4jException.class)
                .hasMessage("every logit is -Infinity: no token can be sampled");
        assertThatThrownBy(() -> new Sampler(PLAIN, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
