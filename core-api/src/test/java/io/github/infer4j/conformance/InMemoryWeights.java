package io.github.infer4j.conformance;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Model weights built in memory for backend tests, stored exactly as a model file would store them: each tensor is
 * quantized by its type's reference {@link io.github.infer4j.quant.BlockFormat} into an off-heap segment. The arena is
 * shared because backends read weights from their worker threads.
 */
public final class InMemoryWeights implements Weights, AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Random random;

    /** {@code seed} drives every random tensor, so a failing test reproduces. */
    public InMemoryWeights(long seed) {
        this.random = new Random(seed);
    }

    /** A {@code rows x cols} matrix (ggml dims {@code {cols, rows}}) holding {@code values} row by row. */
    public Tensor matrix(String name, DType type, int rows, int cols, float[] values) {
        if (values.length != rows * cols) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for " + rows + "x" + cols);
        }
        return store(name, type, new long[] {cols, rows}, values);
    }

    /** A matrix of values drawn uniformly from {@code [-amplitude, amplitude]}. */
    public Tensor randomMatrix(String name, DType type, int rows, int cols, float amplitude) {
        return matrix(name, type, rows, cols, uniform(rows * cols, amplitude));
    }

    /** A one-dimensional F32 tensor, the type norm weights have in every model file. */
    public Tensor vector(String name, float[] values) {
        return store(name, DType.F32, new long[] {values.length}, values);
    }

    /** An F32 vector of values drawn uniformly from {@code [center - spread, center + spread]}. */
    public Tensor randomVector(String name, int length, float center, float spread) {
        float[] values = uniform(length, spread);
        for (int i = 0; i < length; i++) {
            values[i] += center;
        }
        return vector(name, values);
    }

    /** Fresh values drawn uniformly from {@code [-amplitude, amplitude]} with this object's generator. */
    public float[] uniform(int count, float amplitude) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (2 * random.nextFloat() - 1) * amplitude;
        }
        return values;
    }

    private Tensor store(String name, DType type, long[] dims, float[] values) {
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor " + name + " is already defined");
        }
        MemorySegment data = arena.allocate(type.bytesFor(values.length), 64);
        type.format().quantize(values, 0, values.length, data, 0);
        Tensor tensor = new Tensor(name, type, dims, data);
        tensors.put(name, tensor);
        return tensor;
    }

    @Override
    public Tensor tensor(String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new Infer4jException("in-memory test model has no tensor '" + name + "' (has " + tensors.keySet()
                    + ")");
        }
        return tensor;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    @Override
    public void close() {
        arena.close();
    }
}
