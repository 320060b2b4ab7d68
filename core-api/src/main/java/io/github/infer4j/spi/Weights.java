package io.github.infer4j.spi;

import io.github.infer4j.tensor.Tensor;

import java.util.Set;

/** The named tensors of a model, as the model file holds them. */
public interface Weights {
    /** The tensor; a missing name is an {@link io.github.infer4j.Infer4jException} naming the model and the tensor. */
    Tensor tensor(String name);

    Set<String> names();
}
