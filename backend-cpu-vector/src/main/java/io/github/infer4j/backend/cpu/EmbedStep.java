package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.Tensor;

/** Decodes the table row of each token of the batch. */
final class EmbedStep implements Step {
    private final Simd simd;
    private final Tensor table;
    /** The repacked table when there is one: the kernels never read the file's copy of a repacked tensor. */
    private final PackedMatrix packed;
    private final float[] out;
    private final int width;

    EmbedStep(Simd simd, Tensor table, PackedMatrix packed, float[] out, int width) {
        this.simd = simd;
        this.table = table;
        this.packed = packed;
        this.out = out;
        this.width = width;
    }

    @Override
    public void check(Batch batch) {
        long vocabulary = table.rows();
        for (int r = 0; r < batch.count; r++) {
            int token = batch.tokens[r];
            if (token < 0 || token >= vocabulary) {
                throw new Infer4jException("token id " + token + " is outside the vocabulary of " + vocabulary
                        + " (table " + table.name() + ")");
            }
        }
    }

    @Override
    public void execute(Batch batch) {
        long rowBytes = table.rowBytes();
        for (int r = 0; r < batch.count; r++) {
            if (packed != null) {
                packed.decodeRow(batch.tokens[r], out, r * width);
            } else {
                WeightKernels.decode(simd, table.type(), table.data(), batch.tokens[r] * rowBytes, out, r * width,
                        width);
            }
        }
    }
}
