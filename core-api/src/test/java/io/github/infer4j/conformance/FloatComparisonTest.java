package io.github.infer4j.conformance;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.GraphBuilder;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.graph.Value;
import io.github.infer4j.reference.ReferenceBackend;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kit is only as strict as its comparison: these show that it lets rounding through and nothing more. */
class FloatComparisonTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void acceptsDifferencesWithinTheToleranceOfTheScale() {
        float[] expected = random(100, 4f);
        float[] actual = expected.clone();
        for (int i = 0; i < actual.length; i++) {
            actual[i] += (float) (0.9 * TOLERANCE * 4);
        }
        assertThatCode(() -> FloatComparison.assertClose("shifted", expected, actual, 100, TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsASinglePerturbedElement() {
        float[] expected = random(100, 4f);
        float[] actual = expected.clone();
        actual[17] += 1e-3f;
        assertThatThrownBy(() -> FloatComparison.assertClose("perturbed", expected, actual, 100, TOLERANCE))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("perturbed")
                .hasMessageContaining("element 17");
    }

    @Test
    void rejectsNaN() {
        float[] expected = random(10, 1f);
        float[] actual = expected.clone();
        actual[3] = Float.NaN;
        assertThatThrownBy(() -> FloatComparison.assertClose("nan", expected, actual, 10, TOLERANCE))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("element 3");
    }

    @Test
    void rejectsRopePairingTheWrongDimensions() {
        try (InMemoryWeights weights = new InMemoryWeights(7)) {
            weights.randomMatrix("x", DType.F32, 4, 32, 2f);
            float[] freq = {1f, 0.1f, 0.01f, 0.001f};
            float[] right = runReference(ropeGraph(RopeMode.NORMAL, freq), weights, 32);
            float[] wrong = runReference(ropeGraph(RopeMode.NEOX, freq), weights, 32);
            assertThatThrownBy(() -> FloatComparison.assertClose("rope", right, wrong, right.length, TOLERANCE))
                    .isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void rejectsAttentionScaledOnePercentOff() {
        try (InMemoryWeights weights = new InMemoryWeights(8)) {
            weights.randomMatrix("q", DType.F32, 4, 16, 2f);
            weights.randomMatrix("kv", DType.F32, 4, 8, 2f);
            float[] right = runReference(attentionGraph(0.35f), weights, 16);
            float[] wrong = runReference(attentionGraph(0.35f * 1.01f), weights, 16);
            assertThatThrownBy(() -> FloatComparison.assertClose("attention", right, wrong, right.length, TOLERANCE))
                    .isInstanceOf(AssertionError.class);
        }
    }

    private static Graph ropeGraph(RopeMode mode, float[] freq) {
        GraphBuilder b = new GraphBuilder();
        return b.build(b.rope(b.embed("x", 32), 2, 16, mode, freq));
    }

    private static Graph attentionGraph(float scale) {
        GraphBuilder b = new GraphBuilder();
        Value kv = b.embed("kv", 8);
        return b.build(b.attention(b.embed("q", 16), kv, kv, 0, 2, 1, 8, scale));
    }

    /** Output of three tokens at positions 5..7, after a first call that fills positions 0..4. */
    private static float[] runReference(Graph graph, InMemoryWeights weights, int width) {
        ReferenceBackend reference = new ReferenceBackend();
        try (LoadedWeights loaded = reference.load(weights);
             Plan plan = reference.compile(graph, loaded, 5);
             KvCache cache = reference.newKvCache(new KvCacheSpec(1, 1, 8, 8, DType.F32))) {
            plan.run(new int[] {0, 1, 2, 3, 0}, new int[] {0, 1, 2, 3, 4}, 5, cache, new float[5 * width]);
            float[] out = new float[3 * width];
            plan.run(new int[] {3, 1, 2}, new int[] {5, 6, 7}, 3, cache, out);
            return out;
        }
    }

    private static float[] random(int n, float amplitude) {
        Random random = new Random(n);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (2 * random.nextFloat() - 1) * amplitude;
        }
        return values;
    }
}
