package io.github.infer4j.conformance;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.spi.Weights;

import java.util.Arrays;

/**
 * One graph compiled on the reference and on the backend under test, each with its own KV cache, stepped through
 * the same batches so that every output can be compared. Graphs without attention still get a (tiny) cache because
 * {@link Plan#run} always takes one.
 */
final class PairedRun implements AutoCloseable {
    private final Plan expectedPlan;
    private final Plan actualPlan;
    private final LoadedWeights expectedWeights;
    private final LoadedWeights actualWeights;
    private final KvCache expectedCache;
    private final KvCache actualCache;
    private final int width;
    private final boolean singleRow;

    PairedRun(Backend reference, Backend tested, Graph graph, Weights weights, int maxBatch, KvCacheSpec kv) {
        expectedWeights = reference.load(weights);
        expectedPlan = reference.compile(graph, expectedWeights, maxBatch);
        expectedCache = reference.newKvCache(kv);
        actualWeights = tested.load(weights);
        actualPlan = tested.compile(graph, actualWeights, maxBatch);
        actualCache = tested.newKvCache(kv);
        width = graph.output().width();
        singleRow = graph.output().singleRow();
    }

    Plan testedPlan() {
        return actualPlan;
    }

    KvCache testedCache() {
        return actualCache;
    }

    /** Output floats of a batch of {@code count} tokens. */
    int outputLength(int count) {
        return (singleRow ? 1 : count) * width;
    }

    /** Runs {@code tokens} at consecutive positions from {@code firstPosition} on both sides and compares. */
    float[] step(String what, int[] tokens, int firstPosition, double tolerance) {
        int count = tokens.length;
        int[] positions = new int[count];
        for (int i = 0; i < count; i++) {
            positions[i] = firstPosition + i;
        }
        float[] expected = new float[outputLength(count)];
        float[] actual = new float[outputLength(count)];
        expectedPlan.run(tokens, positions, count, expectedCache, expected);
        actualPlan.run(tokens, positions, count, actualCache, actual);
        FloatComparison.assertClose(what + " (tokens " + Arrays.toString(tokens) + " from position "
                + firstPosition + ")", expected, actual, expected.length, tolerance);
        return actual;
    }

    @Override
    public void close() {
        actualPlan.close();
        actualCache.close();
        actualWeights.close();
        expectedPlan.close();
        expectedCache.close();
        expectedWeights.close();
    }
}
