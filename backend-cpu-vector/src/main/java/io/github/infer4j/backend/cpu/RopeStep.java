package io.github.infer4j.backend.cpu;

import io.github.infer4j.graph.RopeMode;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotates dimension pairs of every head by the row position's angles. The arithmetic is the reference's term for
 * term ({@code x0 * cos - x1 * sin}, no fused multiply-add), so both agree to the last bit.
 */
final class RopeStep implements Step {
    private final Simd simd;
    private final RopeTables tables;
    private final RopeMode mode;
    private final float[] in;
    private final float[] out;
    private final int width;
    private final int heads;
    private final int headDim;
    private final int pairs;
    private final boolean singleRow;
    /** Swaps the members of each pair of lanes: lane {@code 2i} with {@code 2i + 1}. */
    private final VectorShuffle<Float> swap;

    RopeStep(Simd simd, RopeTables tables, RopeMode mode, float[] in, float[] out, int heads, int headDim,
             int pairs, boolean singleRow) {
        this.simd = simd;
        this.tables = tables;
        this.mode = mode;
        this.in = in;
        this.out = out;
        this.width = heads * headDim;
        this.heads = heads;
        this.headDim = headDim;
        this.pairs = pairs;
        this.singleRow = singleRow;
        this.swap = VectorShuffle.fromOp(simd.floats(), i -> i ^ 1);
    }

    @Override
    public void execute(Batch batch) {
        int rows = singleRow ? 1 : batch.count;
        for (int r = 0; r < rows; r++) {
            int row = singleRow ? batch.count - 1 : r;
            tables.prepare(r, batch.positions[row]);
            float[] cos = tables.cos(r);
            float[] sin = tables.sin(r);
            for (int h = 0; h < heads; h++) {
                int base = r * width + h * headDim;
                if (mode == RopeMode.NORMAL) {
                    rotateAdjacent(base, cos, sin);
                } else {
                    rotateHalves(base, cos, sin);
                }
                System.arraycopy(in, base + 2 * pairs, out, base + 2 * pairs, headDim - 2 * pairs);
            }
        }
    }

    private void rotateAdjacent(int base, float[] cos, float[] sin) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        int rotated = 2 * pairs;
        int j = 0;
        for (; j <= rotated - lanes; j += lanes) {
            FloatVector x = FloatVector.fromArray(fs, in, base + j);
            x.mul(FloatVector.fromArray(fs, cos, j))
                    .add(x.rearrange(swap).mul(FloatVector.fromArray(fs, sin, j)))
                    .intoArray(out, base + j);
        }
        for (; j < rotated; j += 2) {
            float x0 = in[base + j];
            float x1 = in[base + j + 1];
            float c = cos[j];
            float s = sin[j + 1];
            out[base + j] = x0 * c - x1 * s;
            out[base + j + 1] = x0 * s + x1 * c;
        }
    }

    private void rotateHalves(int base, float[] cos, float[] sin) {
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        int i = 0;
        for (; i <= pairs - lanes; i += lanes) {
            FloatVector x0 = FloatVector.fromArray(fs, in, base + i);
            FloatVector x1 = FloatVector.fromArray(fs, in, base + pairs + i);
            FloatVector c = FloatVector.fromArray(fs, cos, i);
            FloatVector s = FloatVector.fromArray(fs, sin, i);
            x0.mul(c).sub(x1.mul(s)).intoArray(out, base + i);
            x0.mul(s).add(x1.mul(c)).intoArray(out, base + pairs + i);
        }
        for (; i < pairs; i++) {
            float x0 = in[base + i];
            float x1 = in[base + pairs + i];
            out[base + i] = x0 * cos[i] - x1 * sin[i];
            out[base + pairs + i] = x0 * sin[i] + x1 * cos[i];
        }
    }
}
