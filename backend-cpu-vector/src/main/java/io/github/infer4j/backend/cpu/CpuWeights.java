package io.github.infer4j.backend.cpu;

import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Weights;

/** The model's own tensors: kernels read the mapped segments in place, so loading copies nothing. */
record CpuWeights(CpuVectorBackend backend, Weights weights) implements LoadedWeights {
    @Override
    public void close() {
    }
}
