package io.github.infer4j.conformance;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.GraphBuilder;
import io.github.infer4j.graph.Op;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.graph.Value;
import io.github.infer4j.reference.ReferenceBackend;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The backend conformance kit: every op of the graph, at every weight type, must give what {@link ReferenceBackend}
 * gives. A backend module subclasses this and implements {@link #createBackend()}. Inputs come from F32 embedding
 * tables (the only way activations enter a graph), so each test graph starts with an embed; sizes are chosen to hit
 * widths that are not multiples of any vector length, single rows and batches, and positions beyond the first.
 */
public abstract class BackendConformanceTest {
    /** Rows of every embedding table used as input; token ids of the tests stay below it. */
    protected static final int VOCAB = 11;
    private static final int[] ONE = {3};
    private static final int[] BATCH = {0, 10, 4, 4, 7};

    private Backend reference;
    private Backend backend;
    private InMemoryWeights weights;

    /** A fresh backend for one test; the kit closes it afterwards. */
    protected abstract Backend createBackend();

    /**
     * Largest error allowed, as a fraction of the output's scale (see {@link FloatComparison}), for results computed
     * from weights of {@code type}; also used for KV caches of that type. Both sides read the very same stored
     * bytes, so all that is left is float arithmetic done in another order: at the kit's sizes that stays below
     * 1e-6 (measured on cpu-vector at every vector size), and a wrong element, row or head costs far more than 1e-3.
     * Quantized types get twice the room because the reference rounds each block's sum before scaling it, which a
     * backend that dequantizes and then multiplies does not. A backend that computes a type approximately on
     * purpose (e.g. quantizing activations) overrides this and says so.
     */
    protected double tolerance(DType type) {
        return type.isQuantized() ? 2e-5 : 1e-5;
    }

    /**
     * Whether this backend computes {@code op}; all ops by default. A backend that does not compute some (e.g. a chip
     * without kernels for another family's ops) says so here: the kit then skips every case whose graph holds such an
     * op and checks instead that compiling one fails with an {@link Infer4jException}.
     */
    protected boolean computes(Op op) {
        return true;
    }

    /** Skips the case unless the backend computes every op of {@code graph}. */
    private void assumeComputed(Graph graph) {
        for (Op op : graph.ops()) {
            Assumptions.assumeTrue(computes(op), () -> backend.name() + " does not compute " + op);
        }
    }

    @BeforeEach
    void createBackends() {
        reference = new ReferenceBackend();
        backend = createBackend();
        weights = new InMemoryWeights(20240617L);
    }

    @AfterEach
    void closeBackends() {
        backend.close();
        reference.close();
        weights.close();
    }

    private static List<DType> quantizedTypes() {
        return Stream.of(DType.values()).filter(DType::isQuantized).toList();
    }

    /** Types a backend does not claim to support are skipped: loading them is the backend's error to report. */
    private void assumeSupported(DType type) {
        Assumptions.assumeTrue(backend.supportedWeightTypes().contains(type),
                () -> backend.name() + " does not support " + type);
    }

    static Stream<Arguments> matmulShapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (DType type : List.of(DType.F32, DType.F16, DType.BF16)) {
            for (int[] colsRows : new int[][] {{32, 37}, {172, 37}, {7, 3}, {45, 64}}) {
                shapes.add(arguments(type, colsRows[0], colsRows[1]));
            }
        }
        for (DType type : quantizedTypes()) {
            // Rows of 2, 3 and 5 blocks (odd block counts catch unrolled loops), a single one-block row, and rows of
            // 4608 elements, long enough for kernels that take the shared dimension in spans to need several.
            int block = type.blockSize();
            for (int[] colsRows : new int[][] {{2 * block, 37}, {3 * block, 37}, {5 * block, 37}, {block, 1},
                    {4608, 19}}) {
                shapes.add(arguments(type, colsRows[0], colsRows[1]));
            }
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "{0} weight of {2} rows x {1} columns")
    @MethodSource("matmulShapes")
    void matmulMatchesReference(DType type, int cols, int rows) {
        assumeSupported(type);
        weights.randomMatrix("x", DType.F32, VOCAB, cols, 1f);
        weights.randomMatrix("w", type, rows, cols, 0.5f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.matmul(b.embed("x", cols), "w", rows));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("matmul " + type, ONE, 0, tolerance(type));
            run.step("matmul " + type, BATCH, 1, tolerance(type));
        }
    }

    static Stream<Arguments> embedShapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (DType type : List.of(DType.F32, DType.F16, DType.BF16)) {
            shapes.add(arguments(type, 7));
            shapes.add(arguments(type, 172));
        }
        for (DType type : quantizedTypes()) {
            shapes.add(arguments(type, type.blockSize()));
            shapes.add(arguments(type, 5 * type.blockSize()));
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "{0} table of width {1}")
    @MethodSource("embedShapes")
    void embedMatchesReference(DType type, int width) {
        assumeSupported(type);
        weights.randomMatrix("table", type, VOCAB, width, 2f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.embed("table", width));
        try (PairedRun run = pair(graph, 4)) {
            run.step("embed " + type, new int[] {VOCAB - 1}, 0, tolerance(type));
            run.step("embed " + type, new int[] {0, 3, VOCAB - 1, 3}, 1, tolerance(type));
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {7, 64, 172})
    void rmsNormMatchesReference(int width) {
        weights.randomMatrix("x", DType.F32, VOCAB, width, 3f);
        weights.randomVector("gamma", width, 1f, 0.5f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.rmsNorm(b.embed("x", width), "gamma", 1e-5f));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("rmsnorm", ONE, 0, tolerance(DType.F32));
            run.step("rmsnorm", BATCH, 1, tolerance(DType.F32));
        }
    }

    static Stream<Arguments> ropeShapes() {
        return Stream.of(
                arguments(RopeMode.NORMAL, 2, 8, 4),
                arguments(RopeMode.NEOX, 2, 8, 4),
                arguments(RopeMode.NORMAL, 3, 20, 6),
                arguments(RopeMode.NEOX, 3, 20, 6),
                arguments(RopeMode.NORMAL, 2, 64, 32),
                arguments(RopeMode.NEOX, 1, 128, 48));
    }

    @ParameterizedTest(name = "{0}, {1} heads of {2}, {3} rotated pairs")
    @MethodSource("ropeShapes")
    void ropeMatchesReference(RopeMode mode, int heads, int headDim, int pairs) {
        weights.randomMatrix("x", DType.F32, VOCAB, heads * headDim, 2f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.rope(b.embed("x", heads * headDim), heads, headDim, mode, frequencies(pairs)));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("rope " + mode, BATCH, 0, tolerance(DType.F32));
            run.step("rope " + mode, ONE, 5, tolerance(DType.F32));
            run.step("rope " + mode, new int[] {1, 2, 3}, 4093, tolerance(DType.F32));
        }
    }

    static Stream<Arguments> attentionShapes() {
        return Stream.of(
                arguments(4, 2, 8, DType.F16),
                arguments(4, 2, 8, DType.F32),
                arguments(6, 3, 20, DType.F16),
                arguments(2, 2, 64, DType.F32),
                arguments(8, 1, 16, DType.F16),
                arguments(3, 1, 36, DType.F32));
    }

    /**
     * Two attention layers (the second reading the first's output as queries) over three calls that continue the
     * same cache: a prompt batch, one token, then a short batch.
     */
    @ParameterizedTest(name = "{0} heads, {1} KV heads of {2}, {3} cache")
    @MethodSource("attentionShapes")
    void attentionMatchesReference(int heads, int kvHeads, int headDim, DType kvType) {
        int qWidth = heads * headDim;
        int kvWidth = kvHeads * headDim;
        weights.randomMatrix("q", DType.F32, VOCAB, qWidth, 2f);
        for (String name : List.of("k0", "v0", "k1", "v1")) {
            weights.randomMatrix(name, DType.F32, VOCAB, kvWidth, 2f);
        }
        float scale = (float) (1 / Math.sqrt(headDim));
        GraphBuilder b = new GraphBuilder();
        Value first = b.attention(b.embed("q", qWidth), b.embed("k0", kvWidth), b.embed("v0", kvWidth), 0,
                heads, kvHeads, headDim, scale);
        Value second = b.attention(first, b.embed("k1", kvWidth), b.embed("v1", kvWidth), 1,
                heads, kvHeads, headDim, scale);
        Graph graph = b.build(second);
        KvCacheSpec kv = new KvCacheSpec(2, kvHeads, headDim, 12, kvType);
        assumeComputed(graph);
        try (PairedRun run = new PairedRun(reference, backend, graph, weights, BATCH.length, kv)) {
            run.step("attention", BATCH, 0, tolerance(kvType));
            run.step("attention", ONE, BATCH.length, tolerance(kvType));
            run.step("attention", new int[] {9, 1, 5}, BATCH.length + 1, tolerance(kvType));
        }
    }

    static Stream<Arguments> windowedAttentionShapes() {
        return Stream.of(
                arguments(4, 2, 8, 3, 0f, DType.F32),
                arguments(4, 2, 8, 1, 0f, DType.F16),
                arguments(6, 3, 20, 0, 5f, DType.F16),
                arguments(2, 1, 36, 4, 2f, DType.F32),
                arguments(8, 2, 16, 7, 50f, DType.F32));
    }

    /**
     * Sliding windows shorter and longer than a batch and soft-capped scores, over calls continuing one cache so
     * that later rows see positions that earlier calls stored. Queries and keys are large so that capping matters.
     */
    @ParameterizedTest(name = "{0} heads, {1} KV heads of {2}, window {3}, soft-cap {4}, {5} cache")
    @MethodSource("windowedAttentionShapes")
    void windowedAndSoftCappedAttentionMatchesReference(int heads, int kvHeads, int headDim, int window,
                                                        float softcap, DType kvType) {
        int qWidth = heads * headDim;
        int kvWidth = kvHeads * headDim;
        weights.randomMatrix("q", DType.F32, VOCAB, qWidth, 3f);
        weights.randomMatrix("k", DType.F32, VOCAB, kvWidth, 3f);
        weights.randomMatrix("v", DType.F32, VOCAB, kvWidth, 2f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.attention(b.embed("q", qWidth), b.embed("k", kvWidth), b.embed("v", kvWidth), 0,
                heads, kvHeads, headDim, 1f, window, softcap));
        KvCacheSpec kv = new KvCacheSpec(1, kvHeads, headDim, 16, kvType);
        assumeComputed(graph);
        try (PairedRun run = new PairedRun(reference, backend, graph, weights, BATCH.length, kv)) {
            run.step("windowed attention", BATCH, 0, tolerance(kvType));
            run.step("windowed attention", ONE, BATCH.length, tolerance(kvType));
            run.step("windowed attention", new int[] {9, 1, 5, 2}, BATCH.length + 1, tolerance(kvType));
            run.step("windowed attention", new int[] {8}, BATCH.length + 5, tolerance(kvType));
        }
    }

    /** With a window of one position, each row attends to itself only: the output is its own value, per head. */
    @Test
    void windowOfOneAttendsToTheRowItself() {
        weights.randomMatrix("q", DType.F32, VOCAB, 16, 2f);
        weights.randomMatrix("v", DType.F32, VOCAB, 8, 2f);
        GraphBuilder b = new GraphBuilder();
        Value v = b.embed("v", 8);
        Graph graph = b.build(b.attention(b.embed("q", 16), v, v, 0, 2, 1, 8, 0.5f, 1, 0f));
        KvCacheSpec kv = new KvCacheSpec(1, 1, 8, 8, DType.F32);
        assumeComputed(graph);
        LoadedWeights loaded = backend.load(weights);
        try (Plan plan = backend.compile(graph, loaded, BATCH.length); KvCache cache = backend.newKvCache(kv)) {
            float[] out = new float[BATCH.length * 16];
            plan.run(BATCH, positions(0, BATCH.length), BATCH.length, cache, out);
            float[] values = new float[VOCAB * 8];
            weights.tensor("v").type().format().dequantize(weights.tensor("v").data(), 0, values, 0, values.length);
            for (int r = 0; r < BATCH.length; r++) {
                for (int i = 0; i < 16; i++) {
                    assertThat(out[r * 16 + i]).as("row %d, element %d", r, i)
                            .isCloseTo(values[BATCH[r] * 8 + i % 8], within(1e-5f));
                }
            }
        } finally {
            loaded.close();
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {7, 64, 172})
    void swiGluMatchesReference(int width) {
        weights.randomMatrix("gate", DType.F32, VOCAB, width, 8f);
        weights.randomMatrix("up", DType.F32, VOCAB, width, 2f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.swiGlu(b.embed("gate", width), b.embed("up", width)));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("swiglu", ONE, 0, tolerance(DType.F32));
            run.step("swiglu", BATCH, 1, tolerance(DType.F32));
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {7, 64, 172})
    void addMatchesReference(int width) {
        weights.randomMatrix("a", DType.F32, VOCAB, width, 2f);
        weights.randomMatrix("b", DType.F32, VOCAB, width, 2f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.add(b.embed("a", width), b.embed("b", width)));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("add", ONE, 0, tolerance(DType.F32));
            run.step("add", BATCH, 1, tolerance(DType.F32));
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {7, 64, 172})
    void biasAddMatchesReference(int width) {
        weights.randomMatrix("x", DType.F32, VOCAB, width, 2f);
        weights.randomVector("bias", width, 0f, 1f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.biasAdd(b.embed("x", width), "bias"));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("bias add", ONE, 0, tolerance(DType.F32));
            run.step("bias add", BATCH, 1, tolerance(DType.F32));
        }
    }

    @ParameterizedTest(name = "{0} heads of {1}")
    @CsvSource({"1, 64", "4, 16", "3, 20", "2, 7"})
    void headRmsNormMatchesReference(int heads, int headDim) {
        weights.randomMatrix("x", DType.F32, VOCAB, heads * headDim, 3f);
        weights.randomVector("gamma", headDim, 1f, 0.5f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.headRmsNorm(b.embed("x", heads * headDim), "gamma", heads, headDim, 1e-6f));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("per-head rmsnorm", ONE, 0, tolerance(DType.F32));
            run.step("per-head rmsnorm", BATCH, 1, tolerance(DType.F32));
        }
    }

    /** Each head of the output has unit root mean square when the weight is all ones: heads are normed apart. */
    @Test
    void headRmsNormNormalizesEveryHeadOnItsOwn() {
        int heads = 3;
        int headDim = 20;
        float[] rows = weights.uniform(VOCAB * heads * headDim, 1f);
        for (int i = 0; i < headDim; i++) {
            rows[3 * heads * headDim + 2 * headDim + i] *= 100;
        }
        weights.matrix("x", DType.F32, VOCAB, heads * headDim, rows);
        weights.vector("ones", ones(headDim));
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.headRmsNorm(b.embed("x", heads * headDim), "ones", heads, headDim, 0f));
        float[] out = runTested(graph, ONE);
        for (int h = 0; h < heads; h++) {
            double squares = 0;
            for (int i = 0; i < headDim; i++) {
                squares += out[h * headDim + i] * (double) out[h * headDim + i];
            }
            assertThat(Math.sqrt(squares / headDim)).as("RMS of head %d", h).isCloseTo(1, within(1e-5));
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {7, 64, 172})
    void geGluMatchesReference(int width) {
        weights.randomMatrix("gate", DType.F32, VOCAB, width, 6f);
        weights.randomMatrix("up", DType.F32, VOCAB, width, 2f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.geGlu(b.embed("gate", width), b.embed("up", width)));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("geglu", ONE, 0, tolerance(DType.F32));
            run.step("geglu", BATCH, 1, tolerance(DType.F32));
        }
    }

    /** Values of GELU's tanh form computed in double: 0 at 0, x for large x, 0 for very negative x. */
    @Test
    void geGluGivesGeluTanhTimesUp() {
        float[] gate = {0f, 1f, -1f, 2.5f, -3f, 8f, -8f, 0.3f};
        weights.matrix("gate", DType.F32, 1, gate.length, gate);
        weights.matrix("up", DType.F32, 1, gate.length, new float[] {1, 1, 1, 1, 1, 1, 1, 2});
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.geGlu(b.embed("gate", gate.length), b.embed("up", gate.length)));
        float[] out = runTested(graph, new int[] {0});
        for (int i = 0; i < gate.length; i++) {
            double x = gate[i];
            double gelu = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            assertThat((double) out[i]).as("geglu of %s", x).isCloseTo(gelu * (i == 7 ? 2 : 1), within(1e-5));
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {7, 64, 172})
    void scaleMatchesReference(int width) {
        weights.randomMatrix("x", DType.F32, VOCAB, width, 2f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.scale(b.embed("x", width), 48f));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("scale", ONE, 0, tolerance(DType.F32));
            run.step("scale", BATCH, 1, tolerance(DType.F32));
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {7, 64, 172})
    void softCapMatchesReference(int width) {
        weights.randomMatrix("x", DType.F32, VOCAB, width, 90f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.softCap(b.embed("x", width), 30f));
        try (PairedRun run = pair(graph, BATCH.length)) {
            run.step("soft-cap", ONE, 0, tolerance(DType.F32));
            run.step("soft-cap", BATCH, 1, tolerance(DType.F32));
        }
    }

    @Test
    void softCapSquashesIntoTheCap() {
        float[] x = {0f, 1f, -1f, 30f, -60f, 1000f, -1e6f};
        weights.matrix("x", DType.F32, 1, x.length, x);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.softCap(b.embed("x", x.length), 30f));
        float[] out = runTested(graph, new int[] {0});
        for (int i = 0; i < x.length; i++) {
            assertThat((double) out[i]).as("soft-cap of %s", x[i]).isCloseTo(30 * Math.tanh(x[i] / 30.0), within(1e-5));
        }
    }

    @Test
    void lastRowKeepsOnlyTheNewestToken() {
        weights.randomMatrix("x", DType.F32, VOCAB, 64, 2f);
        weights.randomVector("norm", 64, 1f, 0.2f);
        weights.randomMatrix("out", DType.Q4_0, 37, 64, 0.5f);
        GraphBuilder b = new GraphBuilder();
        Value last = b.lastRow(b.rmsNorm(b.embed("x", 64), "norm", 1e-5f));
        Graph graph = b.build(b.matmul(last, "out", 37));
        try (PairedRun run = pair(graph, BATCH.length)) {
            assertThat(run.outputLength(BATCH.length)).isEqualTo(37);
            run.step("last row", BATCH, 0, tolerance(DType.Q4_0));
            run.step("last row", ONE, BATCH.length, tolerance(DType.Q4_0));
        }
    }

    private static final KvCacheSpec BLOCK_CACHE = new KvCacheSpec(1, 2, 16, 16, DType.F16);

    /** A small transformer block using every op and weight type; its KV cache is {@link #BLOCK_CACHE}. */
    private Graph transformerBlock() {
        int dim = 64;
        int heads = 4;
        int kvHeads = 2;
        int headDim = 16;
        int hidden = 172;
        weights.randomMatrix("tok", DType.F16, VOCAB, dim, 1f);
        weights.randomVector("attn_norm", dim, 1f, 0.2f);
        weights.randomMatrix("wq", DType.Q8_0, heads * headDim, dim, 0.3f);
        weights.randomMatrix("wk", DType.Q4_0, kvHeads * headDim, dim, 0.3f);
        weights.randomMatrix("wv", DType.BF16, kvHeads * headDim, dim, 0.3f);
        weights.randomMatrix("wo", DType.Q4_0, dim, heads * headDim, 0.3f);
        weights.randomVector("ffn_norm", dim, 1f, 0.2f);
        weights.randomMatrix("gate", DType.Q8_0, hidden, dim, 0.3f);
        weights.randomMatrix("up", DType.F32, hidden, dim, 0.3f);
        weights.randomMatrix("down", DType.F16, dim, hidden, 0.3f);
        weights.randomVector("out_norm", dim, 1f, 0.2f);
        weights.randomMatrix("output", DType.Q8_0, VOCAB, dim, 0.5f);
        float[] freq = frequencies(headDim / 2);

        GraphBuilder b = new GraphBuilder();
        Value x = b.embed("tok", dim);
        Value n = b.rmsNorm(x, "attn_norm", 1e-5f);
        Value q = b.rope(b.matmul(n, "wq", heads * headDim), heads, headDim, RopeMode.NORMAL, freq);
        Value k = b.rope(b.matmul(n, "wk", kvHeads * headDim), kvHeads, headDim, RopeMode.NORMAL, freq);
        Value att = b.attention(q, k, b.matmul(n, "wv", kvHeads * headDim), 0, heads, kvHeads, headDim, 0.25f);
        Value h = b.add(x, b.matmul(att, "wo", dim));
        Value f = b.rmsNorm(h, "ffn_norm", 1e-5f);
        Value ffn = b.matmul(b.swiGlu(b.matmul(f, "gate", hidden), b.matmul(f, "up", hidden)), "down", dim);
        Value logits = b.matmul(b.rmsNorm(b.lastRow(b.add(h, ffn)), "out_norm", 1e-5f), "output", VOCAB);
        return b.build(logits);
    }

    /**
     * The block of {@link #transformerBlock}, run as a model would be (a prompt, then one token at a time); then the
     * same plan runs the same sequence on a fresh cache and must give the same logits again.
     */
    @Test
    void planIsReusableAcrossCallsAndCaches() {
        Graph graph = transformerBlock();
        KvCacheSpec kv = BLOCK_CACHE;
        int[][] calls = {{1, 5, 9, 2, 2, 7}, {4}, {10}, {0}};
        double tolerance = tolerance(DType.Q4_0);
        try (PairedRun run = new PairedRun(reference, backend, graph, weights, 6, kv)) {
            List<float[]> first = new ArrayList<>();
            int position = 0;
            for (int[] tokens : calls) {
                first.add(run.step("block", tokens, position, tolerance));
                position += tokens.length;
            }
            Plan plan = run.testedPlan();
            try (KvCache fresh = backend.newKvCache(kv)) {
                position = 0;
                for (int c = 0; c < calls.length; c++) {
                    float[] again = new float[VOCAB];
                    plan.run(calls[c], positions(position, calls[c].length), calls[c].length, fresh, again);
                    FloatComparison.assertClose("rerun of call " + c, first.get(c), again, VOCAB, tolerance);
                    position += calls[c].length;
                }
            }
        }
    }

    /**
     * A step run without an output array (a prompt's batches before its last) must still fill the cache: the calls
     * after it give the logits they give after the same step run with an output. Not bit for bit: a kernel may round
     * its last bit differently before and after the JIT compiles it, and 8-bit activations can then take the next
     * level; the tolerance is still far below what a call without the prompt in its cache gives.
     */
    @Test
    void aStepWithoutOutputFillsTheCacheAsOneWithOutput() {
        Graph graph = transformerBlock();
        int[] prompt = {1, 5, 9, 2, 2, 7};
        int[] next = {4, 10};
        try (LoadedWeights loaded = backend.load(weights);
             Plan plan = backend.compile(graph, loaded, prompt.length);
             KvCache withOutput = backend.newKvCache(BLOCK_CACHE);
             KvCache without = backend.newKvCache(BLOCK_CACHE)) {
            plan.run(prompt, positions(0, prompt.length), prompt.length, withOutput, new float[VOCAB]);
            plan.run(prompt, positions(0, prompt.length), prompt.length, without, null);
            float[] expected = new float[VOCAB];
            float[] actual = new float[VOCAB];
            plan.run(next, positions(prompt.length, next.length), next.length, withOutput, expected);
            plan.run(next, positions(prompt.length, next.length), next.length, without, actual);
            double tolerance = 0.02;
            FloatComparison.assertClose("logits after a step without output", expected, actual, VOCAB, tolerance);
            try (KvCache empty = backend.newKvCache(BLOCK_CACHE)) {
                float[] promptless = new float[VOCAB];
                plan.run(next, positions(0, next.length), next.length, empty, promptless);
                assertThat(largestDifference(expected, promptless) / largestMagnitude(expected))
                        .as("logits without the prompt, relative to those with it").isGreaterThan(tolerance);
            }
        }
    }

    private static double largestDifference(float[] a, float[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    private static double largestMagnitude(float[] a) {
        double largest = 1;
        for (float v : a) {
            largest = Math.max(largest, Math.abs(v));
        }
        return largest;
    }

    @Test
    void batchOutsideOneToMaxBatchIsRejected() {
        weights.randomMatrix("x", DType.F32, VOCAB, 8, 1f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.embed("x", 8));
        try (PairedRun run = pair(graph, 2)) {
            Plan plan = run.testedPlan();
            float[] out = new float[3 * 8];
            assertThatThrownBy(() -> plan.run(new int[] {1, 2, 3}, positions(0, 3), 3, run.testedCache(), out))
                    .isInstanceOf(Infer4jException.class);
            assertThatThrownBy(() -> plan.run(new int[] {1}, positions(0, 1), 0, run.testedCache(), out))
                    .isInstanceOf(Infer4jException.class);
            run.step("embed after rejected batches", new int[] {1, 2}, 0, tolerance(DType.F32));
        }
    }

    @ParameterizedTest(name = "token {0}")
    @ValueSource(ints = {VOCAB, -1, Integer.MAX_VALUE})
    void tokenOutsideVocabularyIsRejected(int token) {
        weights.randomMatrix("x", DType.F32, VOCAB, 64, 1f);
        weights.randomMatrix("w", DType.Q8_0, 5, 64, 1f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.matmul(b.embed("x", 64), "w", 5));
        try (PairedRun run = pair(graph, 2)) {
            Plan plan = run.testedPlan();
            float[] out = new float[2 * 5];
            assertThatThrownBy(() -> plan.run(new int[] {2, token}, positions(0, 2), 2, run.testedCache(), out))
                    .isInstanceOf(Infer4jException.class)
                    .hasMessageContaining(String.valueOf(token));
            run.step("matmul after a rejected token", new int[] {2, 4}, 0, tolerance(DType.Q8_0));
        }
    }

    @Test
    void positionPastCacheCapacityIsRejected() {
        weights.randomMatrix("q", DType.F32, VOCAB, 16, 1f);
        weights.randomMatrix("kv", DType.F32, VOCAB, 8, 1f);
        GraphBuilder b = new GraphBuilder();
        Value kv = b.embed("kv", 8);
        Graph graph = b.build(b.attention(b.embed("q", 16), kv, kv, 0, 2, 1, 8, 0.3f));
        try (PairedRun run = new PairedRun(reference, backend, graph, weights, 2,
                new KvCacheSpec(1, 1, 8, 4, DType.F16))) {
            run.step("attention", new int[] {1, 2}, 0, tolerance(DType.F16));
            run.step("attention up to capacity", new int[] {3, 4}, 2, tolerance(DType.F16));
            Plan plan = run.testedPlan();
            float[] out = new float[16];
            assertThatThrownBy(() -> plan.run(new int[] {5}, positions(4, 1), 1, run.testedCache(), out))
                    .isInstanceOf(Infer4jException.class)
                    .hasMessageContaining("4");
        }
    }

    @Test
    void compileRejectsWeightOfWrongShape() {
        weights.randomMatrix("x", DType.F32, VOCAB, 64, 1f);
        weights.randomMatrix("w", DType.Q8_0, 5, 32, 1f);
        GraphBuilder b = new GraphBuilder();
        Graph graph = b.build(b.matmul(b.embed("x", 64), "w", 5));
        LoadedWeights loaded = backend.load(weights);
        try {
            assertThatThrownBy(() -> backend.compile(graph, loaded, 1))
                    .isInstanceOf(Infer4jException.class)
                    .hasMessageContaining("w");
        } finally {
            loaded.close();
        }
    }

    /** Graphs of one op each for the ops that only some families use (and that a backend may not compute). */
    private List<Graph> familyOpGraphs() {
        weights.randomMatrix("x", DType.F32, VOCAB, 16, 1f);
        weights.randomVector("v16", 16, 1f, 0.1f);
        weights.randomVector("v8", 8, 1f, 0.1f);
        List<Graph> graphs = new ArrayList<>();
        GraphBuilder b = new GraphBuilder();
        graphs.add(b.build(b.biasAdd(b.embed("x", 16), "v16")));
        b = new GraphBuilder();
        graphs.add(b.build(b.headRmsNorm(b.embed("x", 16), "v8", 2, 8, 1e-6f)));
        b = new GraphBuilder();
        Value x = b.embed("x", 16);
        graphs.add(b.build(b.geGlu(x, x)));
        b = new GraphBuilder();
        graphs.add(b.build(b.scale(b.embed("x", 16), 2f)));
        b = new GraphBuilder();
        graphs.add(b.build(b.softCap(b.embed("x", 16), 2f)));
        for (int[] windowAndCap : new int[][] {{2, 0}, {0, 5}}) {
            b = new GraphBuilder();
            x = b.embed("x", 16);
            graphs.add(b.build(b.attention(x, x, x, 0, 2, 2, 8, 0.3f, windowAndCap[0], windowAndCap[1])));
        }
        return graphs;
    }

    /** A backend that does not compute an op (see {@link #computes}) refuses it when compiling, not later. */
    @Test
    void graphWithAnOpTheBackendDoesNotComputeFailsToCompile() {
        List<Graph> refused = familyOpGraphs().stream()
                .filter(g -> !g.ops().stream().allMatch(this::computes)).toList();
        Assumptions.assumeFalse(refused.isEmpty(), () -> backend.name() + " computes every op");
        LoadedWeights loaded = backend.load(weights);
        try {
            for (Graph graph : refused) {
                assertThatThrownBy(() -> backend.compile(graph, loaded, 2).close())
                        .as("compiling %s", graph.ops()).isInstanceOf(Infer4jException.class);
            }
        } finally {
            loaded.close();
        }
    }

    /**
     * The weight types every backend must compute with; further types (the K-quants, Q4_1, Q5_x) are checked
     * above wherever a backend claims them.
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void backendComputesWithEveryRequiredWeightType(DType type) {
        assertThat(backend.supportedWeightTypes()).contains(type);
    }

    /** Output of the tested backend alone for one call at positions 0.. (graphs without attention). */
    private float[] runTested(Graph graph, int[] tokens) {
        assumeComputed(graph);
        LoadedWeights loaded = backend.load(weights);
        try (Plan plan = backend.compile(graph, loaded, tokens.length);
             KvCache cache = backend.newKvCache(new KvCacheSpec(1, 1, 1, 1, DType.F32))) {
            float[] out = new float[tokens.length * graph.output().width()];
            plan.run(tokens, positions(0, tokens.length), tokens.length, cache, out);
            return out;
        } finally {
            loaded.close();
        }
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }

    private PairedRun pair(Graph graph, int maxBatch) {
        assumeComputed(graph);
        return new PairedRun(reference, backend, graph, weights, maxBatch, new KvCacheSpec(1, 1, 1, 1, DType.F32));
    }

    /** Llama's frequencies {@code 10000^(-i / pairs)} for a rotation over {@code 2 * pairs} dimensions. */
    private static float[] frequencies(int pairs) {
        float[] freq = new float[pairs];
        for (int i = 0; i < pairs; i++) {
            freq[i] = (float) Math.pow(10000, -(double) i / pairs);
        }
        return freq;
    }

    private static int[] positions(int first, int count) {
        int[] positions = new int[count];
        for (int i = 0; i < count; i++) {
            positions[i] = first + i;
        }
        return positions;
    }
}
