package io.github.infer4j.benchmarks;

import io.github.infer4j.conformance.InMemoryWeights;
import io.github.infer4j.graph.GraphBuilder;
import io.github.infer4j.graph.Value;
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
 * Matrix products of each weight type at Llama-3.2-1B's feed-forward shape: a chain of {@code pairs} up (2048 to
 * 8192) and down (8192 to 2048) projections, 8 matrices by default, 75 MB in Q4_0, so that the weights stream from
 * memory as in a model rather than from cache. {@code batch} 1 is a decode step (matrix times vector); 32 is a
 * prefill batch, where each weight is read once for all rows. Bytes per call divided by the time is the bandwidth.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatMulBenchmark {
    private static final int VOCAB = 4;

    @Param({"Q4_0", "Q8_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K", "F16", "BF16", "F32"})
    public DType type;

    @Param({"1", "32"})
    public int batch;

    @Param({"2048"})
    public int dim;

    @Param({"8192"})
    public int hidden;

    @Param({"4"})
    public int pairs;

    /** 0: every processor. */
    @Param({"0"})
    public int threads;

    /** 0: the hardware's vector size; 128, 256 or 512 force one. */
    @Param({"0"})
    public int vectorBits;

    private InMemoryWeights weights;
    private CompiledGraph graph;

    @Setup
    public void setUp() {
        weights = new InMemoryWeights(1);
        weights.randomMatrix("x", DType.F32, VOCAB, dim, 1f);
        GraphBuilder b = new GraphBuilder();
        Value v = b.embed("x", dim);
        for (int i = 0; i < pairs; i++) {
            // Uniform weights of this amplitude keep the activations' scale near 1 along the chain.
            weights.randomMatrix("up" + i, type, hidden, dim, (float) Math.sqrt(3.0 / dim));
            weights.randomMatrix("down" + i, type, dim, hidden, (float) Math.sqrt(3.0 / hidden));
            v = b.matmul(b.matmul(v, "up" + i, hidden), "down" + i, dim);
        }
        graph = new CompiledGraph(b.build(v), weights, batch, CompiledGraph.noCache(), threads, vectorBits, VOCAB);
    }

    @Benchmark
    public float[] multiply() {
        return graph.run(batch, 0);
    }

    @TearDown
    public void tearDown() {
        graph.close();
        weights.close();
    }
}
