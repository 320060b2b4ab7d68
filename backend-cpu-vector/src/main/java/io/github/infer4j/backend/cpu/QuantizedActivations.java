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
 * are zero.
 *
 * <p>The first {@link #tileRows(int) tiled} rows are stored for the tile kernels, {@value QuantKernels#TILE} rows
 * interleaved: within a tile, each group holds four units of {@value #UNIT} pair vectors, and a unit holds those
 * vectors of each of the tile's rows in turn; a group's scales (and offsets and sums) follow the same order, row after
 * row. A tile kernel thus reaches every vector of every row at a constant distance from one index that grows by a
 * constant step, which lets C2 drop the array bounds checks from its loop (with a stride between rows it checked the
 * loads before every group: 18% of the samples in the Q4_0 tile's code, see docs/PERFORMANCE.md). The other rows,
 * read one at a time by the row kernels, are stored row after row.
 */
final class QuantizedActivations {
    /** Adding then subtracting 1.5 * 2^23 rounds a float of magnitude below 2^22 to the nearest integer (ties even). */
    private static final float ROUNDER = 0x1.8p23f;
    /** Pair vectors per unit of a tile: the four nibble planes of one loaded weight vector. */
    static final int UNIT = 4;

    private final int cols;
    private final int lanes;
    private final int blocksPerRow;
    private final int quantsPerRow;
    private final short[] quants;
    private final float[] scales;
    private final int[] offsets;
    private final float[] blockSums;
    private int tiledRows;

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

    /**
     * Stores rows {@code [0, rows)} tile-interleaved from the next {@link #quantize} on, the others row after row;
     * {@code rows} is a multiple of {@value QuantKernels#TILE}.
     */
    void tileRows(int rows) {
        if (rows % QuantKernels.TILE != 0 || rows < 0 || rows * quantsPerRow > quants.length) {
            throw new IllegalArgumentException("tiled rows must be a multiple of " + QuantKernels.TILE
                    + " within the capacity, got " + rows);
        }
        tiledRows = rows;
    }

    /** Quantizes {@code in[inOff..inOff+cols)} as row {@code row}; {@code levels} is scratch of 32 ints. */
    void quantize(Simd simd, float[] in, int inOff, int row, int[] levels) {
        VectorSpecies<Float> fs = simd.floats();
        int step = fs.length();
        int blocks = cols / PackedMatrix.BLOCK;
        int pair = 2 * lanes;
        boolean tiled = row < tiledRows;
        int k = row % QuantKernels.TILE;
        int quantBase = tiled ? (row - k) * quantsPerRow : row * quantsPerRow;
        int blockBase = tiled ? (row - k) * blocksPerRow : row * blocksPerRow;
        // Row k of a tile: its vectors sit UNIT vectors apart per row, its scales lanes apart per row.
        int groupQuants = tiled ? QuantKernels.TILE * quantsPerGroup() : quantsPerGroup();
        int groupBlocks = tiled ? QuantKernels.TILE * lanes : lanes;
        int rowQuants = tiled ? k * UNIT * pair : 0;
        int rowBlocks = tiled ? k * lanes : 0;
        int unitStride = tiled ? QuantKernels.TILE * UNIT * pair : UNIT * pair;
        for (int b = 0; b < blocksPerRow; b++) {
            int g = b / lanes;
            int lane = b % lanes;
            int block = blockBase + g * groupBlocks + rowBlocks + lane;
            int at = quantBase + g * groupQuants + rowQuants + 2 * lane;
            if (b >= blocks) {
                for (int v = 0; v < PackedMatrix.BLOCK / 2; v++) {
                    int to = at + (v / UNIT) * unitStride + (v % UNIT) * pair;
                    quants[to] = 0;
                    quants[to + 1] = 0;
                }
                scales[block] = 0f;
                offsets[block] = 0;
                blockSums[block] = 0f;
                continue;
            }
            int from = inOff + b * PackedMatrix.BLOCK;
            FloatVector max = FloatVector.zero(fs);
            for (int i = 0; i < PackedMatrix.BLOCK; i += step) {
                max = max.max(FloatVector.fromArray(fs, in, from + i).abs());
            }
            float amax = max.reduceLanes(VectorOperators.MAX);
            float inverse = amax > 0 ? 127f / amax : 0f;
            for (int i = 0; i < PackedMatrix.BLOCK; i += step) {
                ((IntVector) FloatVector.fromArray(fs, in, from + i).mul(inverse).add(ROUNDER).sub(ROUNDER)
                        .convert(VectorOperators.F2I, 0)).intoArray(levels, i);
            }
            int sum = 0;
            for (int v = 0; v < PackedMatrix.BLOCK / 2; v++) {
                int even = levels[2 * v];
                int odd = levels[2 * v + 1];
                int to = at + (v / UNIT) * unitStride + (v % UNIT) * pair;
                quants[to] = (short) even;
                quants[to + 1] = (short) odd;
                sum += even + odd;
            }
            float scale = amax / 127f;
            scales[block] = scale;
            offsets[block] = 8 * sum;
            blockSums[block] = scale * sum;
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
