package io.github.infer4j.benchmarks;

import io.github.infer4j.Infer4j;
import io.github.infer4j.Model;
import io.github.infer4j.Session;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whole-model speed in tokens per second, measured as llama-bench measures it: {@code prefill} processes a 512-token
 * prompt from an empty context (pp512), {@code decode} feeds 128 tokens one at a time from an empty context (tg128).
 * Scores are tokens per second. The model file is a parameter ({@code -p model=...}); {@code infer4j synth}
 * writes one of Llama-3.2-1B's shape.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx512m"})
public class ModelBenchmark {
    private static final int PROMPT = 512;
    private static final int GENERATED = 128;

    @Param({""})
    public String model;

    @Param({"0"})
    public int threads;

    /** Tokens per forward step while prefilling (option infer4j.batch). */
    @Param({"32"})
    public int batch;

    private Model loaded;
    private Session session;
    private final int[] tokens = new int[PROMPT];

    @Setup
    public void setUp() {
        Path file = Path.of(model);
        if (model.isEmpty() || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("pass a GGUF model with -p model=<file> (got '" + model
                    + "'); infer4j synth writes one");
        }
        Infer4j.Builder builder = Infer4j.builder().backend("cpu-vector").contextLength(PROMPT + GENERATED)
                .option("batch", Integer.toString(batch));
        if (threads > 0) {
            builder.threads(threads);
        }
        loaded = builder.load(file);
        session = loaded.newSession();
        int vocab = loaded.info().vocabSize();
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (int) ((i * 7919L + 13) % vocab);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PROMPT)
    public float[] prefill() {
        session.reset();
        session.process(tokens, 0, PROMPT);
        return session.logits();
    }

    @Benchmark
    @OperationsPerInvocation(GENERATED)
    public float[] decode() {
        session.reset();
        for (int i = 0; i < GENERATED; i++) {
            session.process(tokens, i, 1);
        }
        return session.logits();
    }

    @TearDown
    public void tearDown() {
        session.close();
        loaded.close();
    }
}
