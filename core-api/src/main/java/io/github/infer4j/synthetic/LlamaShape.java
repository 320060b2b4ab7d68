package io.github.infer4j.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * The hyper-parameters of a Llama-family model, which decide its speed and memory; {@link #named} knows those of
 * published models (from their Hugging Face configurations) and the tiny ones the tests use.
 *
 * @param vocab        tokens in the vocabulary (and rows of the embedding matrix)
 * @param context      the trained context length written to the file
 * @param tiedOutput   whether the classifier reuses the token embeddings (no {@code output.weight})
 */
public record LlamaShape(String name, int dim, int layers, int heads, int kvHeads, int ffn, int vocab, int context,
                         float ropeFreqBase, float rmsEps, boolean tiedOutput) {
    private static final int LLAMA3_VOCAB = 128256;

    private static final List<LlamaShape> KNOWN = List.of(
            new LlamaShape("tiny", 64, 2, 4, 2, 128, SyntheticLlama.minimalBpeVocabSize(), 256, 10000f, 1e-5f, true),
            new LlamaShape("tiny-256", 256, 2, 4, 2, 512, SyntheticLlama.minimalBpeVocabSize(), 256, 10000f, 1e-5f,
                    true),
            new LlamaShape("stories260k", 64, 5, 8, 4, 172, 512, 128, 10000f, 1e-5f, true),
            new LlamaShape("smollm2-135m", 576, 30, 9, 3, 1536, 49152, 8192, 100000f, 1e-5f, true),
            new LlamaShape("llama3.2-1b", 2048, 16, 32, 8, 8192, LLAMA3_VOCAB, 131072, 500000f, 1e-5f, true),
            new LlamaShape("llama3.2-3b", 3072, 28, 24, 8, 8192, LLAMA3_VOCAB, 131072, 500000f, 1e-5f, true),
            new LlamaShape("llama3.1-8b", 4096, 32, 32, 8, 14336, LLAMA3_VOCAB, 131072, 500000f, 1e-5f, false),
            new LlamaShape("llama2-7b", 4096, 32, 32, 32, 11008, 32000, 4096, 10000f, 1e-5f, false));

    /** Every shape {@link #named} knows, smallest first. */
    public static List<LlamaShape> known() {
        return KNOWN;
    }

    /** The known shape called {@code name} (case-insensitive), e.g. {@code llama3.2-1b}. */
    public static LlamaShape named(String name) {
        for (LlamaShape shape : KNOWN) {
            if (shape.name.equalsIgnoreCase(name)) {
                return shape;
            }
        }
        List<String> names = new ArrayList<>();
        for (LlamaShape shape : KNOWN) {
            names.add(shape.name);
        }
        throw new IllegalArgumentException("unknown model shape '" + name + "'; known: " + String.join(", ", names));
    }
}
