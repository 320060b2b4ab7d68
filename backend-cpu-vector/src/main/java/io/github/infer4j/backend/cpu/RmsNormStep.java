package io.github.infer4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static io.github.infer4j.backend.cpu.Layouts.FLOAT;
import static io.github.infer4j.backend.cpu.Layouts.ORDER;

/**
 * Each run of {@code width} values divided by its root mean square, times the F32 weight read from its segment. A
 * row holds {@code runsPerRow} runs: one for a whole-row norm, one per head for a per-head norm.
 */
final class RmsNormStep implements Step {
    private final Simd simd;
    private final MemorySegment gamma;
    private final float eps;
    private final float[] in;
    private final float[] out;
    private final int width;
    private final int runsPerRow;
    private final boolean singleRow;

    RmsNormStep(Simd simd, MemorySegment gamma, float eps, float[] in, float[] out, int width, int runsPerRow,
                boolean singleRow) {
        this.simd = simd;
        this.gamma = gamma;
        this.eps = eps;
        this.in = in;
        this.out = out;
        this.width = width;
        this.runsPerRow = runsPerRow;
        this.singleRow = singleRow;
    }

    @Override
    public void execute(Batch batch) {
        int rows = (singleRow ? 1 : batch.count) * runsPerRow;
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            FloatVector squares = FloatVector.zero(fs);
            int i = 0;
            for (; i <= width - lanes; i += lanes) {
                FloatVector x = FloatVector.fromArray(fs, in, base + i);
                squares = x.fma(x, squares);
            }
            float sum = squares.reduceLanes(VectorOperators.ADD);
            for (; i < width; i++) {
                sum += in[base + i] * in[base + i];
            }
            // Same rounding steps as the reference: float mean plus eps, square root in double.
            float scale = (float) (1.0 / Math.sqrt(sum / width + eps));
            i = 0;
            for (; i <= width - lanes; i += lanes) {
                FloatVector.fromArray(fs, in, base + i).mul(scale)
                        .mul(FloatVector.fromMemorySegment(fs, gamma, 4L * i, ORDER)).intoArray(out, base + i);
            }
            for (; i < width; i++) {
                out[base + i] = in[base + i] * scale * gamma.get(FLOAT, 4L * i);
            }
        }
    }
}
