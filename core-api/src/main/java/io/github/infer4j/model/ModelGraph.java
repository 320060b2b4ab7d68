package io.github.infer4j.model;

import io.github.infer4j.graph.Graph;

/**
 * What an architecture produces: the generation graph (logits of the last token), the same step with logits for
 * every token (scoring, perplexity), and the KV cache geometry both need.
 */
public record ModelGraph(Graph lastTokenLogits, Graph allLogits, int layers, int kvHeads, int headDim,
                         int trainedContextLength, int vocabSize) {
}
