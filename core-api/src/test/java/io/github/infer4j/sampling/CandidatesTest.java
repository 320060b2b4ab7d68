package io.github.infer4j.sampling;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class CandidatesTest {

    /** Full order a plain sort gives: logit descending, equal logits by ascending id. */
    private static int[] sortedByHand(float[] logits) {
        return IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    @Test
    void lazyOrderMatchesAFullSortIncludingTies() {
        Random random = new Random(11);
        for (int vocab : new int[] {1, 2, 3, 17, 1000}) {
            float[] logits = new float[vocab];
            for (int i = 0; i < vocab; i++) {
                logits[i] = random.nextInt(20) - 10; // many equal values to exercise the tie rule
            }
            Candidates candidates = new Candidates(vocab);
            candidates.reset(logits, vocab);
            int[] expected = sortedByHand(logits);
            for (int i = 0; i < vocab; i++) {
                assertThat(candidates.sortedId(i)).as("position %d of %d", i, vocab).isEqualTo(expected[i]);
            }
        }
    }

    @Test
    void aLimitSelectsTheBestIdsWithTheSameTieRule() {
        Random random = new Random(12);
        int vocab = 5000;
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = random.nextInt(300);
        }
        int[] expected = sortedByHand(logits);
        Candidates candidates = new Candidates(vocab);
        for (int k : new int[] {1, 2, 40, 4999}) {
            candidates.reset(logits, k);
            assertThat(candidates.size()).isEqualTo(k);
            for (int i = 0; i < k; i++) {
                assertThat(candidates.sortedId(i)).as("position %d of top-%d", i, k).isEqualTo(expected[i]);
            }
        }
    }

    @Test
    void keepBestKeepsTheBestPrefixAndResetRestoresAll() {
        float[] logits = {0.5f, 3f, -1f, 3f, 2f, Float.NEGATIVE_INFINITY};
        Candidates candidates = new Candidates(logits.length);
        candidates.reset(logits, logits.length);
        candidates.keepBest(3);
        assertThat(candidates.size()).isEqualTo(3);
        assertThat(new int[] {candidates.idAt(0), candidates.idAt(1), candidates.idAt(2)}).containsExactly(1, 3, 4);
        assertThat(candidates.topLogit()).isEqualTo(3f);

        candidates.reset(logits, 10);
        assertThat(candidates.size()).isEqualTo(6);
        assertThat(candidates.sortedId(5)).isEqualTo(5);
    }
}
