package io.github.infer4j.backend.cpu;

import io.github.infer4j.graph.GeGlu;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@code out = 0.5 * gate * (1 + tanh(sqrt(2 / pi) * (gate + 0.044715 * gate^3))) * up}, element-wise. */
final class GeGluStep implements Step {
    private final Simd simd;
    private final float[] gate;
    private final float[] up;
    private final float[] out;
    private final int width;
    private final boolean singleRow;

    GeGluStep(Simd simd, float[] gate, float[] up, float[] out, int width, boolean singleRow) {
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
            FloatVector x = FloatVector.fromArray(fs, gate, i);
            FloatVector inner = x.mul(x).mul(x).mul(GeGlu.CUBIC).add(x).mul(GeGlu.SQRT_2_OVER_PI);
            x.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f)).mul(FloatVector.fromArray(fs, up, i))
                    .intoArray(out, i);
        }
        for (; i < n; i++) {
            float x = gate[i];
            float inner = GeGlu.SQRT_2_OVER_PI * (x + GeGlu.CUBIC * x * x * x);
            out[i] = 0.5f * x * (1f + (float) Math.tanh(inner)) * up[i];
        }
    }
}
