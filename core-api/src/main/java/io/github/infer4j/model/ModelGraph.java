package io.github.infer4j.model;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.spi.Weights;

/**
 * What an architecture produces: the generation graph (logits of the last token), the same step with logits for
 * every token (scoring, perplexity), the KV cache geometry both need, and the weights they read: the file's tensors
 * plus any views of them the architecture made (the parts of a fused matrix), to hand to the backend.
 */
public record ModelGraph(Graph lastTokenLogits, Graph allLogits, int layers, int kvHeads, int headDim,
                         int trainedContextLength, int vocabSize, Weights weights) {
}
