package io.github.infer4j.graph;

import java.util.List;

/**
 * One operation of the forward step. The set is closed so that every backend can be checked to cover all of
 * them, and so that an ahead-of-time scheduler sees the whole step. Weights are referenced by tensor name and
 * bound when a backend compiles the graph.
 */
public sealed interface Op permits Embed, RmsNorm, MatMul, Rope, Attention, SwiGlu, Add, LastRow, BiasAdd, HeadRmsNorm, GeGlu,
        Scale, SoftCap {
    /** The value this op produces. */
    Value out();

    /** Values this op reads, in a fixed order. */
    List<Value> inputs();

    /** Weight tensors this op reads. */
    List<String> weights();
}
