package io.github.infer4j.backend.lpu;

import java.util.List;

/**
 * How a model was laid over the chips: {@code tensorParallel} chips per pipeline stage, the units of each stage,
 * the chips that hold experts, the segments a token passes, and how full each chip's SRAM is.
 */
record Mapping(ModelIr ir, int tensorParallel, List<int[]> stages, int expertChipsPerExpert, int expertChips,
               int chipsGiven, List<Segment> segments, List<ChipMemory> memory) {
    Mapping {
        stages = List.copyOf(stages);
        segments = List.copyOf(segments);
        memory = List.copyOf(memory);
    }

    /**
     * What one chip keeps in SRAM, and how many chips keep the same; {@code kvPerPosition} is the KV cache's bytes
     * per cached position at one byte per element, to check caches sized later.
     */
    record ChipMemory(String what, int chips, long weights, long kvCache, long activations, long kvPerPosition) {
        long total() {
            return weights + kvCache + activations;
        }
    }

    /** Fails with the stage that overflows when a KV cache of {@code positions} does not fit next to the weights. */
    void checkKvCache(int positions, int elementBytes, LpuConfig config) {
        for (ChipMemory m : memory) {
            long kv = m.kvPerPosition() * positions * elementBytes;
            long free = config.sramBytes() - m.weights() - m.activations();
            if (kv > free) {
                throw new io.github.infer4j.Infer4jException(String.format(java.util.Locale.ROOT,
                        "a KV cache of %d positions needs %.1f MiB per chip on %s, which has %.1f MiB of SRAM left"
                                + " next to its weights; give the LPU more chips (lpu.chips) or use a shorter context",
                        positions, kv / 1048576.0, m.what(), free / 1048576.0));
            }
        }
    }

    int chipsUsed() {
        return tensorParallel * stages.size() + expertChips;
    }

    long maxSramBytes() {
        long max = 0;
        for (ChipMemory m : memory) {
            max = Math.max(max, m.total());
        }
        return max;
    }

    double meanSramBytes() {
        double sum = 0;
        int chips = 0;
        for (ChipMemory m : memory) {
            sum += (double) m.total() * m.chips();
            chips += m.chips();
        }
        return chips == 0 ? 0 : sum / chips;
    }

    String describe() {
        return tensorParallel + "-way tensor parallel x " + stages.size() + " pipeline stage"
                + (stages.size() == 1 ? "" : "s")
                + (expertChips > 0 ? " + " + expertChips + " expert chips (" + expertChipsPerExpert + " per expert)" : "")
                + ", " + chipsUsed() + " of " + chipsGiven + " chips";
    }
}
