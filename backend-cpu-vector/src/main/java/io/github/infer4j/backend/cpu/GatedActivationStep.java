package io.github.infer4j.backend.cpu;

import io.github.infer4j.graph.GeGlu;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code out = act(gate) * up}, element-wise, for the gated feed-forwards: SiLU (SwiGLU) or the tanh form of GELU
 * (GeGLU). Each activation has its own flat loop so the choice costs one branch per step, not one per element.
 */
final class GatedActivationStep implements Step {
    enum Activation { SILU, GELU_TANH }

    private final Simd simd;
    private final Activation activation;
    private final float[] gate;
    private final float[] up;
    private final float[] out;
    private final int width;
    private final boolean singleRow;

    GatedActivationStep(Simd simd, Activation activation, float[] gate, float[] up, float[] out, int width,
                        boolean singleRow) {
        this.simd = simd;
        this.activation = activation;
        this.gate = gate;
        this.up = up;
        this.out = out;
        this.width = width;
        this.singleRow = singleRow;
    }

    @Override
    public void execute(Batch batch) {
        int n = (singleRow ? 1 : batch.count) * width;
        if (activation == Activation.SILU) {
            silu(n);
        } else {
            geluTanh(n);
        }
    }

    /** {@code gate / (1 + exp(-gate)) * up}. */
    private void silu(int n) {
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

    /** {@code 0.5 * gate * (1 + tanh(sqrt(2 / pi) * (gate + 0.044715 * gate^3))) * up}. */
    private void geluTanh(int n) {
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
