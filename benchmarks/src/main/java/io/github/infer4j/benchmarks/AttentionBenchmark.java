package io.github.infer4j.benchmarks;

import io.github.infer4j.conformance.InMemoryWeights;
import io.github.infer4j.graph.GraphBuilder;
import io.github.infer4j.graph.Value;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.tensor.DType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One layer of attention with Llama-3.2-1B's heads (32 query heads, 8 KV heads of 64) after {@code context}
 * positions are in the cache: {@code batch} 1 is a decode step, 32 a prefill batch (each row attends to the cache and
 * to the rows before it). The graph also looks up the rows' q, k and v (three embedding rows per token).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AttentionBenchmark {
    private static final int VOCAB = 64;
    private static final int HEADS = 32;
    private static final int KV_HEADS = 8;
    private static final int HEAD_DIM = 64;
    private static final int FILL_BATCH = 32;

    @Param({"128", "512", "2048"})
    public int context;

    @Param({"1", "32"})
    public int batch;

    @Param({"F16", "F32"})
    public DType kvType;

    @Param({"0"})
    public int threads;

    @Param({"0"})
    public int vectorBits;

    private InMemoryWeights weights;
    private CompiledGraph graph;

    @Setup
    public void setUp() {
        weights = new InMemoryWeights(2);
        weights.randomMatrix("q", DType.F32, VOCAB, HEADS * HEAD_DIM, 1f);
        weights.randomMatrix("k", DType.F32, VOCAB, KV_HEADS * HEAD_DIM, 1f);
        weights.randomMatrix("v", DType.F32, VOCAB, KV_HEADS * HEAD_DIM, 1f);
        GraphBuilder b = new GraphBuilder();
        Value out = b.attention(b.embed("q", HEADS * HEAD_DIM), b.embed("k", KV_HEADS * HEAD_DIM),
                b.embed("v", KV_HEADS * HEAD_DIM), 0, HEADS, KV_HEADS, HEAD_DIM, (float) (1 / Math.sqrt(HEAD_DIM)));
        KvCacheSpec kv = new KvCacheSpec(1, KV_HEADS, HEAD_DIM, context + batch, kvType);
        graph = new CompiledGraph(b.build(out), weights, Math.max(batch, FILL_BATCH), kv, threads, vectorBits, VOCAB);
        for (int p = 0; p < context; p += FILL_BATCH) {
            graph.run(Math.min(FILL_BATCH, context - p), p);
        }
    }

    @Benchmark
    public float[] attend() {
        return graph.run(batch, context);
    }

    @TearDown
    public void tearDown() {
        graph.close();
        weights.close();
    }
}
