package io.github.infer4j.backend.cpu;

/** The inputs of the run in progress, read by every step; set once per call so that steps allocate nothing. */
final class Batch {
    int count;
    int[] tokens;
    int[] positions;
    /** Null when the graph has no attention. */
    CpuKvCache cache;
}
