package io.github.infer4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@code out = cap * tanh(in / cap)}, element-wise. */
final class SoftCapStep implements Step {
    private final Simd simd;
    private final float[] in;
    private final float[] out;
    private final float cap;
    private final int width;
    private final boolean singleRow;

    SoftCapStep(Simd simd, float[] in, float[] out, float cap, int width, boolean singleRow) {
        this.simd = simd;
        this.in = in;
        this.out = out;
        this.cap = cap;
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
            FloatVector.fromArray(fs, in, i).div(cap).lanewise(VectorOperators.TANH).mul(cap).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = cap * (float) Math.tanh(in[i] / cap);
        }
    }
}
