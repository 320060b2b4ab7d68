package io.github.infer4j.benchmarks;

import io.github.infer4j.tensor.DType;
import io.github.infer4j.testkit.SyntheticLlama;

import java.nio.file.Path;

/**
 * Writes a Llama GGUF file of Llama-3.2-1B's shape (dim 2048, 16 layers, 32 heads, 8 KV heads, FFN 8192, vocabulary
 * 128256, tied embeddings) with random weights, for {@link ModelBenchmark} and for comparisons with llama.cpp.
 * Arguments: weight type (e.g. Q4_0) and output file. The test kit builds every tensor in memory first: give the JVM
 * about 6 GB of heap.
 */
public final class WriteSyntheticLlama {
    private WriteSyntheticLlama() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: WriteSyntheticLlama <F32|F16|BF16|Q8_0|Q4_0> <file.gguf>");
            System.exit(2);
        }
        Path file = SyntheticLlama.builder().dim(2048).layers(16).heads(32).kvHeads(8).ffn(8192).vocab(128256)
                .context(4096).ropeFreqBase(500000f).weightType(DType.valueOf(args[0])).write(Path.of(args[1]));
        System.out.println("wrote " + file);
    }
}
