package io.github.infer4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@code out = gate / (1 + exp(-gate)) * up}, element-wise. */
final class SwiGluStep implements Step {
    private final Simd simd;
    private final float[] gate;
    private final float[] up;
    private final float[] out;
    private final int width;
    private final boolean singleRow;

    SwiGluStep(Simd simd, float[] gate, float[] up, float[] out, int width, boolean singleRow) {
        this.simd = simd;
        this.gate = gate;
        this.up = up;
        this.out = out;
        this.width = width;
        this.singleRow = singleRow;
    }

    @Override
    public void execute(Batch batch) {
        int n = (singleRow ? 1 : batch.count) * width;
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector g = FloatVector.fromArray(fs, gate, i);
            g.div(g.neg().lanewise(VectorOperators.EXP).add(1f)).mul(FloatVector.fromArray(fs, up, i))
                    .intoArray(out, i);
        }
        for (; i < n; i++) {
            float g = gate[i];
            out[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }
}
