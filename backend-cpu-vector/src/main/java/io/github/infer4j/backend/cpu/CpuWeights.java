package io.github.infer4j.backend.cpu;

import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;

/**
 * The model's tensors as the kernels read them. Quantized matrices are repacked once, off-heap, into the layout of
 * {@link PackedMatrix} (as much memory again as those tensors take in the file for Q8_0 and Q4_0, a fifth to a third
 * more for the other types; the Java heap holds none of it) and the file's pages behind them are released; every
 * other tensor is read in place from its segment.
 */
final class CpuWeights implements LoadedWeights {
    private final CpuVectorBackend backend;
    private final Weights weights;
    private final Arena arena = Arena.ofShared();
    private final Map<String, PackedMatrix> packed = new HashMap<>();
    private boolean closed;

    CpuWeights(CpuVectorBackend backend, Weights weights) {
        this.backend = backend;
        this.weights = weights;
        int lanes = backend.simd().ints().length();
        try {
            for (String name : weights.names()) {
                Tensor tensor = weights.tensor(name);
                if (PackedMatrix.packable(tensor)) {
                    packed.put(name, PackedMatrix.pack(tensor, lanes, arena, backend.pool()));
                    if (tensor.data().isMapped()) {
                        tensor.data().unload();
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    CpuVectorBackend backend() {
        return backend;
    }

    Tensor tensor(String name) {
        return weights.tensor(name);
    }

    /** The repacked copy of {@code name}, or null when the kernels read that tensor in place. */
    PackedMatrix packed(String name) {
        return packed.get(name);
    }

    Weights weights() {
        return weights;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
