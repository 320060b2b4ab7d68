package io.github.infer4j.huggingface;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.internal.ConvertedTensors;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Gemma's RMSNorm multiplies by {@code 1 + w} and Hugging Face stores {@code w}; llama.cpp's converter writes
 * {@code w + 1}, which the GGUF graphs use as the plain norm weight. The sum is taken in float32 (as Transformers
 * computes {@code 1 + w.float()}, and as the converter does for BF16 and F32 checkpoints) into an F32 copy.
 */
final class NormShift {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private NormShift() {
    }

    static Tensor plusOne(Tensor norm, ConvertedTensors copies, Path folder) {
        if (norm.dims().length != 1) {
            throw new Infer4jException(folder + ": " + norm.name() + " has " + norm.dims().length
                    + " dimensions; a norm weight is a vector");
        }
        Tensor copy = copies.convert(norm, DType.F32, null);
        MemorySegment data = copy.data();
        long n = copy.elementCount();
        for (long i = 0; i < n; i++) {
            data.setAtIndex(F32, i, data.getAtIndex(F32, i) + 1f);
        }
        return copy;
    }
}
