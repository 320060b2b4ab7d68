package io.github.infer4j.backend.cpu;

import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's tensors as the kernels read them. Quantized matrices are repacked once, off-heap, into the layout of
 * {@link PackedMatrix}: one region, on huge pages where the system offers them (see {@link LargePages}), as large
 * as those tensors are in the file for Q8_0 and Q4_0 and a fifth to a third larger for the other types; the Java heap
 * holds none of it, and the file's pages behind the repacked tensors are released. Every other tensor is read in
 * place from its segment.
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
            List<Tensor> quantized = new ArrayList<>();
            long total = 0;
            for (String name : weights.names()) {
                Tensor tensor = weights.tensor(name);
                if (PackedMatrix.packable(tensor)) {
                    quantized.add(tensor);
                    total += align(PackedMatrix.bytes(tensor, lanes));
                }
            }
            MemorySegment region = total == 0 ? MemorySegment.NULL : LargePages.allocate(arena, total);
            long offset = 0;
            for (Tensor tensor : quantized) {
                long bytes = PackedMatrix.bytes(tensor, lanes);
                packed.put(tensor.name(), PackedMatrix.pack(tensor, lanes, region.asSlice(offset, bytes),
                        backend.pool()));
                offset += align(bytes);
                if (tensor.data().isMapped()) {
                    tensor.data().unload();
                }
            }
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Keeps every packed matrix on a cache line of its own. */
    private static long align(long bytes) {
        return (bytes + 63) & -64;
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
