package io.github.infer4j.internal;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufTensorInfo;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.Tensor;

import java.util.LinkedHashSet;
import java.util.Set;

/** The tensors of a GGUF file as {@link Weights}: zero-copy views of the mapped file. */
public final class GgufWeights implements Weights {
    private final GgufFile file;
    private final Set<String> names;

    public GgufWeights(GgufFile file) {
        this.file = file;
        Set<String> n = new LinkedHashSet<>();
        for (GgufTensorInfo info : file.tensorInfos()) {
            n.add(info.name());
        }
        this.names = Set.copyOf(n);
    }

    @Override
    public Tensor tensor(String name) {
        if (!names.contains(name)) {
            throw new Infer4jException(file.path() + ": tensor '" + name + "' is missing");
        }
        return file.tensor(name);
    }

    @Override
    public Set<String> names() {
        return names;
    }
}
