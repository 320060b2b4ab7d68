package io.github.infer4j.backend.cpu;

/** Work split into numbered chunks that the {@link WorkerPool} hands to its threads in any order. */
interface ParallelTask {
    /** Runs chunk {@code chunk}; {@code worker} (0 = the calling thread) indexes per-thread scratch space. */
    void run(int worker, int chunk);
}
