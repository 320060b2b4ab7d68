package io.github.infer4j.huggingface;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.Tensor;
import java.nio.file.Path;

/**
 * The row order that turns a Q or K projection stored for rotating the two halves of each head (Hugging Face's
 * layout) into one for rotating adjacent pairs (Meta's and GGUF's): within each head, output row {@code 2j + t}
 * is stored row {@code t * headDim / 2 + j}. This is the permutation llama.cpp's converter applies.
 */
final class RotaryPairs {
    private RotaryPairs() {
    }

    static int[] rowOrder(Tensor projection, int heads, Path folder) {
        int rows = Math.toIntExact(projection.rows());
        if (rows % heads != 0 || (rows / heads) % 2 != 0) {
            throw new Infer4jException(folder + ": " + projection.name() + " has " + rows + " rows, which do not"
                    + " split into " + heads + " heads of an even size");
        }
        int headDim = rows / heads;
        int half = headDim / 2;
        int[] order = new int[rows];
        for (int h = 0; h < heads; h++) {
            int base = h * headDim;
            for (int j = 0; j < half; j++) {
                order[base + 2 * j] = base + j;
                order[base + 2 * j + 1] = base + half + j;
            }
        }
        return order;
    }
}
