package io.github.infer4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@code out = a + b}, element-wise. */
final class AddStep implements Step {
    private final Simd simd;
    private final float[] a;
    private final float[] b;
    private final float[] out;
    private final int width;
    private final boolean singleRow;

    AddStep(Simd simd, float[] a, float[] b, float[] out, int width, boolean singleRow) {
        this.simd = simd;
        this.a = a;
        this.b = b;
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
            FloatVector.fromArray(fs, a, i).add(FloatVector.fromArray(fs, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[i] + b[i];
        }
    }
}
