package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerPoolTest {
    @Test
    void runsEveryChunkExactlyOnceAcrossManyBackToBackTasks() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int round = 0; round < 2000; round++) {
                int chunks = 1 + round % 13;
                AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
                pool.run((worker, chunk) -> runs.incrementAndGet(chunk), chunks);
                for (int c = 0; c < chunks; c++) {
                    assertThat(runs.get(c)).as("round %d chunk %d", round, c).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void workersUseTheirOwnIndex() {
        try (WorkerPool pool = new WorkerPool(4)) {
            AtomicIntegerArray seen = new AtomicIntegerArray(pool.size());
            pool.run((worker, chunk) -> seen.incrementAndGet(worker), 400);
            int total = 0;
            for (int w = 0; w < pool.size(); w++) {
                total += seen.get(w);
            }
            assertThat(total).isEqualTo(400);
        }
    }

    @Test
    void rethrowsWhatAChunkThrowsAndStaysUsable() {
        try (WorkerPool pool = new WorkerPool(3)) {
            assertThatThrownBy(() -> pool.run((worker, chunk) -> {
                if (chunk == 5) {
                    throw new IllegalStateException("chunk 5 failed");
                }
            }, 12)).isInstanceOf(IllegalStateException.class).hasMessage("chunk 5 failed");
            AtomicIntegerArray runs = new AtomicIntegerArray(12);
            pool.run((worker, chunk) -> runs.incrementAndGet(chunk), 12);
            for (int c = 0; c < 12; c++) {
                assertThat(runs.get(c)).isEqualTo(1);
            }
        }
    }

    @Test
    void refusesWorkOnceClosed() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        assertThatThrownBy(() -> pool.run((worker, chunk) -> { }, 2)).isInstanceOf(Infer4jException.class);
    }
}
