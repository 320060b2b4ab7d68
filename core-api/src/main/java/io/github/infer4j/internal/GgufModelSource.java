package io.github.infer4j.internal;

import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A GGUF file as a {@link ModelSource}: views of the mapped file, or quantized copies when asked for. */
public final class GgufModelSource implements ModelSource {
    private final GgufFile file;
    private final Weights weights;
    private final ConvertedTensors copies;

    private GgufModelSource(GgufFile file, Weights weights, ConvertedTensors copies) {
        this.file = file;
        this.weights = weights;
        this.copies = copies;
    }

    /**
     * Opens {@code path}; with a {@code quantizeTo} type (null keeps the stored types), its float matrices are
     * re-encoded (see {@link LoadQuantization}).
     */
    public static GgufModelSource open(Path path, DType quantizeTo) {
        GgufFile file = GgufFile.open(path);
        GgufWeights stored = new GgufWeights(file);
        if (quantizeTo == null) {
            return new GgufModelSource(file, stored, null);
        }
        ConvertedTensors copies = new ConvertedTensors();
        try {
            Map<String, Tensor> quantized = new HashMap<>();
            for (String name : stored.names()) {
                Tensor t = stored.tensor(name);
                if (LoadQuantization.applies(t, quantizeTo)) {
                    quantized.put(name, copies.convert(t, quantizeTo, null));
                }
            }
            return new GgufModelSource(file, new QuantizedWeights(stored, quantized), copies);
        } catch (RuntimeException | Error e) {
            copies.close();
            file.close();
            throw e;
        }
    }

    /** The stored tensors with some replaced by their quantized copies. */
    private record QuantizedWeights(Weights stored, Map<String, Tensor> quantized) implements Weights {
        @Override
        public Tensor tensor(String name) {
            Tensor t = quantized.get(name);
            return t != null ? t : stored.tensor(name);
        }

        @Override
        public Set<String> names() {
            return stored.names();
        }
    }

    @Override
    public Path path() {
        return file.path();
    }

    @Override
    public String format() {
        return "gguf";
    }

    @Override
    public long fileSize() {
        try {
            return Files.size(file.path());
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public GgufMetadata metadata() {
        return file.metadata();
    }

    @Override
    public Weights weights() {
        return weights;
    }

    @Override
    public void close() {
        if (copies != null) {
            copies.close();
        }
        file.close();
    }
}
