package io.github.infer4j.benchmarks;

import io.github.infer4j.conformance.InMemoryWeights;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.GraphBuilder;
import io.github.infer4j.graph.RopeMode;
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
 * The per-row ops at Llama-3.2-1B's widths: {@code embed} (an F32 row lookup, which every other graph here starts
 * with, so it is their baseline), {@code rmsnorm} (2048), {@code rope} (32 heads of 64), {@code swiglu} (8192) and
 * {@code add} (2048), for a decode row and a prefill batch of 32.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ElementwiseBenchmark {
    private static final int VOCAB = 64;
    private static final int DIM = 2048;
    private static final int HIDDEN = 8192;
    private static final int HEAD_DIM = 64;

    @Param({"embed", "rmsnorm", "rope", "swiglu", "add"})
    public String op;

    @Param({"1", "32"})
    public int batch;

    @Param({"0"})
    public int threads;

    @Param({"0"})
    public int vectorBits;

    private InMemoryWeights weights;
    private CompiledGraph graph;
    /** Positions move on with each call, so rope computes fresh angles as it does in generation. */
    private int position;

    @Setup
    public void setUp() {
        weights = new InMemoryWeights(3);
        graph = new CompiledGraph(graph(), weights, batch, CompiledGraph.noCache(), threads, vectorBits, VOCAB);
    }

    private Graph graph() {
        GraphBuilder b = new GraphBuilder();
        int width = op.equals("swiglu") ? HIDDEN : DIM;
        weights.randomMatrix("a", DType.F32, VOCAB, width, 2f);
        return switch (op) {
            case "embed" -> b.build(b.embed("a", width));
            case "rmsnorm" -> {
                weights.randomVector("gamma", width, 1f, 0.2f);
                yield b.build(b.rmsNorm(b.embed("a", width), "gamma", 1e-5f));
            }
            case "rope" -> {
                float[] frequencies = new float[HEAD_DIM / 2];
                for (int i = 0; i < frequencies.length; i++) {
                    frequencies[i] = (float) Math.pow(500000, -2.0 * i / HEAD_DIM);
                }
                yield b.build(b.rope(b.embed("a", width), width / HEAD_DIM, HEAD_DIM, RopeMode.NORMAL, frequencies));
            }
            case "swiglu", "add" -> {
                weights.randomMatrix("b", DType.F32, VOCAB, width, 2f);
                yield b.build(op.equals("add") ? b.add(b.embed("a", width), b.embed("b", width))
                        : b.swiGlu(b.embed("a", width), b.embed("b", width)));
            }
            default -> throw new IllegalArgumentException("unknown op " + op);
        };
    }

    @Benchmark
    public float[] run() {
        position = (position + batch) % 4096;
        return graph.run(batch, position);
    }

    @TearDown
    public void tearDown() {
        graph.close();
        weights.close();
    }
}
