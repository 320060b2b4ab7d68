package io.github.infer4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@code out = in * factor}, element-wise. */
final class ScaleStep implements Step {
    private final Simd simd;
    private final float[] in;
    private final float[] out;
    private final float factor;
    private final int width;
    private final boolean singleRow;

    ScaleStep(Simd simd, float[] in, float[] out, float factor, int width, boolean singleRow) {
        this.simd = simd;
        this.in = in;
        this.out = out;
        this.factor = factor;
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
            FloatVector.fromArray(fs, in, i).mul(factor).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = in[i] * factor;
        }
    }
}
