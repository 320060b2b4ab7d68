package io.github.infer4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rows of float activations quantized as llama.cpp does before a quantized matrix product: each block of 32 gets a
 * float scale {@code d = max|x| / 127} and levels {@code round(x / d)} in -127..127. The levels are stored as shorts
 * in the interleaved order of {@link PackedMatrix} (vector {@code v} of a group holds element pair {@code v} of each
 * of its blocks), so the kernels load them as ready 16-bit lanes; each block also keeps 8 times the sum of its levels,
 * which turns a Q4_0 product over stored levels 0..15 into one over values -8..7, and the sum of its quantized
 * values (scale times level sum), which weights with an offset per block multiply by that offset. Padding blocks
 * stay zero.
 */
final class QuantizedActivations {
    /** Adding then subtracting 1.5 * 2^23 rounds a float of magnitude below 2^22 to the nearest integer (ties even). */
    private static final float ROUNDER = 0x1.8p23f;

    private final int cols;
    private final int lanes;
    private final int blocksPerRow;
    private final int quantsPerRow;
    private final short[] quants;
    private final float[] scales;
    private final int[] offsets;
    private final float[] blockSums;

    QuantizedActivations(int cols, int lanes, int maxRows) {
        this.cols = cols;
        this.lanes = lanes;
        this.blocksPerRow = PackedMatrix.groupsFor(cols, lanes) * lanes;
        this.quantsPerRow = blocksPerRow * PackedMatrix.BLOCK;
        this.quants = new short[maxRows * quantsPerRow];
        this.scales = new float[maxRows * blocksPerRow];
        this.offsets = new int[maxRows * blocksPerRow];
        this.blockSums = new float[maxRows * blocksPerRow];
    }

    /** Quantizes {@code in[inOff..inOff+cols)} as row {@code row}; {@code levels} is scratch of 32 ints. */
    void quantize(Simd simd, float[] in, int inOff, int row, int[] levels) {
        VectorSpecies<Float> fs = simd.floats();
        int step = fs.length();
        int blocks = cols / PackedMatrix.BLOCK;
        int quantBase = row * quantsPerRow;
        int blockBase = row * blocksPerRow;
        int pairStride = 2 * lanes;
        for (int b = 0; b < blocks; b++) {
            int from = inOff + b * PackedMatrix.BLOCK;
            FloatVector max = FloatVector.zero(fs);
            for (int k = 0; k < PackedMatrix.BLOCK; k += step) {
                max = max.max(FloatVector.fromArray(fs, in, from + k).abs());
            }
            float amax = max.reduceLanes(VectorOperators.MAX);
            float inverse = amax > 0 ? 127f / amax : 0f;
            for (int k = 0; k < PackedMatrix.BLOCK; k += step) {
                ((IntVector) FloatVector.fromArray(fs, in, from + k).mul(inverse).add(ROUNDER).sub(ROUNDER)
                        .convert(VectorOperators.F2I, 0)).intoArray(levels, k);
            }
            int sum = 0;
            int at = quantBase + (b / lanes) * quantsPerGroup() + 2 * (b % lanes);
            for (int i = 0; i < PackedMatrix.BLOCK; i += 2) {
                int even = levels[i];
                int odd = levels[i + 1];
                quants[at] = (short) even;
                quants[at + 1] = (short) odd;
                at += pairStride;
                sum += even + odd;
            }
            float scale = amax / 127f;
            scales[blockBase + b] = scale;
            offsets[blockBase + b] = 8 * sum;
            blockSums[blockBase + b] = scale * sum;
        }
    }

    private int quantsPerGroup() {
        return lanes * PackedMatrix.BLOCK;
    }

    short[] quants() {
        return quants;
    }

    float[] scales() {
        return scales;
    }

    /** Eight times each block's level sum. */
    int[] offsets() {
        return offsets;
    }

    /** Each block's scale times its level sum. */
    float[] blockSums() {
        return blockSums;
    }

    int quantsPerRow() {
        return quantsPerRow;
    }

    int blocksPerRow() {
        return blocksPerRow;
    }
}
