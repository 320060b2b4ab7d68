package io.github.infer4j.model;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.Tensor;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A model's tensors plus zero-copy views of parts of them: a fused matrix (Phi-3's {@code attn_qkv}, its gate and up
 * projections in one {@code ffn_up}) is split into row ranges when the graph is built, so the graph only ever sees
 * plain matrices. A view is named after its source and range, e.g. {@code blk.0.attn_qkv.weight[0:64]}, so errors
 * point at the file's tensor.
 */
final class WeightViews implements Weights {
    private final Weights file;
    private final String source;
    private final Map<String, Tensor> views = new HashMap<>();
    private final Set<String> names;

    WeightViews(Weights file, String source) {
        this.file = file;
        this.source = source;
        this.names = new LinkedHashSet<>(file.names());
    }

    /**
     * Registers the slices {@code [first, first + count)} along the outermost dimension of {@code name} (rows of a
     * matrix, elements of a vector) and returns the view's name.
     */
    String slice(String name, long first, long count) {
        String viewName = name + "[" + first + ":" + (first + count) + "]";
        if (names.contains(viewName)) {
            return viewName;
        }
        Tensor t = file.tensor(name);
        long[] dims = t.dims();
        int outer = dims.length - 1;
        long inner = t.elementCount() / dims[outer];
        if (first < 0 || count <= 0 || first + count > dims[outer] || inner % t.type().blockSize() != 0) {
            throw new Infer4jException(source + ": cannot take slices " + first + ".." + (first + count) + " of " + t);
        }
        long sliceBytes = t.type().bytesFor(inner);
        dims[outer] = count;
        views.put(viewName, new Tensor(viewName, t.type(), dims,
                t.data().asSlice(first * sliceBytes, count * sliceBytes)));
        names.add(viewName);
        return viewName;
    }

    @Override
    public Tensor tensor(String name) {
        Tensor view = views.get(name);
        return view != null ? view : file.tensor(name);
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(names);
    }
}
