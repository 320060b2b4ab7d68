package io.github.infer4j.backend.cpu;

/** One op of a compiled graph, bound to its weights and activation arrays. */
interface Step {
    /** Rejects a batch this step cannot run; called for every step before any step runs, so nothing is half-done. */
    default void check(Batch batch) {
    }

    void execute(Batch batch);
}
