package io.github.infer4j.model;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.spi.Weights;

/** Turns a model family's metadata and tensors into hyper-parameters and the forward-step graph. */
public interface Architecture {
    /** The {@code general.architecture} value this handles. */
    String name();

    ModelGraph build(GgufMetadata metadata, Weights weights, String source);
}
