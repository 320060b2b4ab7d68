package io.github.infer4j.backend.cpu;

import io.github.infer4j.conformance.FloatComparison;
import io.github.infer4j.conformance.InMemoryWeights;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.GraphBuilder;
import io.github.infer4j.reference.ReferenceBackend;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

/**
 * Attention over contexts that span several of cpu-vector's position blocks (8 vectors: 32, 64 or 128 positions),
 * where the softmax state is rescaled from block to block, and over batches whose rows end in different blocks: the
 * conformance kit's caches are shorter than one block. Scores are spread widely so that later blocks do raise the
 * running maximum.
 */
class LongAttentionTest {
    private static final int VOCAB = 53;
    private static final int HEADS = 6;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 20;
    private static final int PROMPT = 300;
    private static final int BATCH = 37;

    @ParameterizedTest(name = "{0}-bit, {1} cache")
    @CsvSource({"128, F16", "256, F16", "256, F32", "512, F32"})
    void matchesTheReferenceAcrossBlocks(int bits, DType kvType) {
        try (InMemoryWeights weights = new InMemoryWeights(5);
             Backend reference = new ReferenceBackend();
             Backend cpu = new CpuVectorBackendProvider().create(new BackendOptions(
                     Map.of(CpuVectorBackendProvider.VECTOR_BITS, Integer.toString(bits), BackendOptions.THREADS,
                             "2")))) {
            weights.randomMatrix("q", DType.F32, VOCAB, HEADS * HEAD_DIM, 3f);
            weights.randomMatrix("k", DType.F32, VOCAB, KV_HEADS * HEAD_DIM, 3f);
            weights.randomMatrix("v", DType.F32, VOCAB, KV_HEADS * HEAD_DIM, 1f);
            GraphBuilder b = new GraphBuilder();
            Graph graph = b.build(b.attention(b.embed("q", HEADS * HEAD_DIM), b.embed("k", KV_HEADS * HEAD_DIM),
                    b.embed("v", KV_HEADS * HEAD_DIM), 0, HEADS, KV_HEADS, HEAD_DIM, 0.5f));
            KvCacheSpec spec = new KvCacheSpec(1, KV_HEADS, HEAD_DIM, PROMPT + 2, kvType);
            try (LoadedWeights rw = reference.load(weights); LoadedWeights cw = cpu.load(weights);
                 Plan expectedPlan = reference.compile(graph, rw, BATCH); Plan actualPlan = cpu.compile(graph, cw, BATCH);
                 KvCache expectedCache = reference.newKvCache(spec); KvCache actualCache = cpu.newKvCache(spec)) {
                int position = 0;
                while (position < PROMPT + 2) {
                    int count = position < PROMPT ? Math.min(BATCH, PROMPT - position) : 1;
                    int[] tokens = new int[count];
                    int[] positions = new int[count];
                    for (int i = 0; i < count; i++) {
                        tokens[i] = (position + i) * 7 % VOCAB;
                        positions[i] = position + i;
                    }
                    float[] expected = new float[count * HEADS * HEAD_DIM];
                    float[] actual = new float[expected.length];
                    expectedPlan.run(tokens, positions, count, expectedCache, expected);
                    actualPlan.run(tokens, positions, count, actualCache, actual);
                    FloatComparison.assertClose("attention from position " + position, expected, actual,
                            expected.length, 1e-5);
                    position += count;
                }
            }
        }
    }
}
