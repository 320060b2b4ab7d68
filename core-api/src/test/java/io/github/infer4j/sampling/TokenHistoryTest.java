package io.github.infer4j.sampling;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenHistoryTest {

    @Test
    void growsPastItsInitialCapacityKeepingOrder() {
        TokenHistory history = new TokenHistory(2);
        for (int i = 0; i < 1000; i++) {
            history.add(i * 3);
        }
        history.addAll(7, 8, 9);
        assertThat(history.size()).isEqualTo(1003);
        assertThat(history.get(0)).isZero();
        assertThat(history.get(999)).isEqualTo(2997);
        assertThat(history.get(1002)).isEqualTo(9);
        assertThat(history.toArray()).hasSize(1003).endsWith(2997, 7, 8, 9);
    }

    @Test
    void startsFromZeroCapacity() {
        TokenHistory history = new TokenHistory(0);
        history.addAll(new int[300]);
        history.add(4);
        assertThat(history.size()).isEqualTo(301);
        assertThat(history.get(300)).isEqualTo(4);
    }

    @Test
    void truncateAndClearDropTokens() {
        TokenHistory history = new TokenHistory();
        history.addAll(1, 2, 3, 4);
        history.truncate(2);
        assertThat(history.toArray()).containsExactly(1, 2);
        history.add(5);
        assertThat(history.toArray()).containsExactly(1, 2, 5);
        history.clear();
        assertThat(history.size()).isZero();
        assertThatThrownBy(() -> history.truncate(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncate a history of 0 tokens to 1");
    }

    @Test
    void rejectsNegativeIdsAndOutOfRangeReads() {
        TokenHistory history = new TokenHistory();
        assertThatThrownBy(() -> history.add(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> history.addAll(1, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(history.size()).as("a rejected batch adds nothing").isZero();
        assertThatThrownBy(() -> history.get(0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index 0 outside the history of 0 tokens");
    }
}
