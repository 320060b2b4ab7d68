package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.conformance.FloatComparison;
import io.github.infer4j.conformance.InMemoryWeights;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The repacked layout and the integer kernels against a scalar evaluation of what they promise: with the same
 * activation levels (recomputed here from their definition), the products must equal
 * {@code sum_b dx_b * sum_i w_bi * x_bi} (with {@code w} the reference's dequantized weights) up to float rounding,
 * for every packed layout, at every vector size, for single rows and tiles, and for row lengths that leave a group
 * partly padded.
 */
class QuantKernelsTest {
    private static final int ROWS = 37;
    private static final int BATCH = 7;

    private InMemoryWeights weights;
    private Arena arena;
    private WorkerPool pool;

    @BeforeEach
    void setUp() {
        weights = new InMemoryWeights(99);
        arena = Arena.ofConfined();
        pool = new WorkerPool(1);
    }

    @AfterEach
    void tearDown() {
        pool.close();
        arena.close();
        weights.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int bits : new int[] {128, 256, 512}) {
            for (DType type : List.of(DType.Q4_0, DType.Q8_0, DType.Q4_1, DType.Q5_0, DType.Q5_1)) {
                for (int cols : new int[] {32, 160, 288, 1024}) {
                    cases.add(arguments(bits, type, cols));
                }
            }
            for (DType type : List.of(DType.Q4_K, DType.Q5_K, DType.Q6_K)) {
                for (int cols : new int[] {256, 768, 1024}) {
                    cases.add(arguments(bits, type, cols));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}-bit, {1}, {2} columns")
    @MethodSource("cases")
    void productsEqualTheScalarSumOverTheSameLevels(int bits, DType type, int cols) {
        Simd simd = Simd.withBits(bits);
        Tensor w = weights.randomMatrix("w", type, ROWS, cols, 0.7f);
        PackedMatrix packed = pack(w, simd.ints().length());
        float[] x = weights.uniform(BATCH * cols, 3f);
        x[5] = 0f;
        QuantizedActivations activations = new QuantizedActivations(cols, simd.ints().length(), BATCH);
        quantizeAll(simd, activations, x, cols, 0);
        float[] expected = new float[BATCH * ROWS];
        for (int a = 0; a < BATCH; a++) {
            for (int r = 0; r < ROWS; r++) {
                expected[a * ROWS + r] = (float) scalarProduct(w, r, x, a * cols, cols);
            }
        }

        float[] single = new float[BATCH * ROWS];
        for (int a = 0; a < BATCH; a++) {
            QuantMatMulStep.rowProducts(simd, packed, activations, a, 0, ROWS, single);
        }
        FloatComparison.assertClose("row products", expected, single, expected.length, 1e-6);

        float[] tiled = new float[BATCH * ROWS];
        int tiles = BATCH / QuantKernels.TILE;
        quantizeAll(simd, activations, x, cols, tiles * QuantKernels.TILE);
        for (int t = 0; t < tiles; t++) {
            QuantMatMulStep.tileProducts(simd, packed, activations, t * QuantKernels.TILE, 0, ROWS, tiled);
        }
        int covered = tiles * QuantKernels.TILE * ROWS;
        FloatComparison.assertClose("tile products", expected, tiled, covered, 1e-6);
        assertThat(tiled[covered]).as("first row past the tiles").isZero();
        // The rows past the tiles, stored row by row beside the tiles, as in a batch that is not a multiple of 4.
        for (int a = tiles * QuantKernels.TILE; a < BATCH; a++) {
            QuantMatMulStep.rowProducts(simd, packed, activations, a, 0, ROWS, tiled);
        }
        FloatComparison.assertClose("tile and row products", expected, tiled, expected.length, 1e-6);
    }

    /**
     * The Q8_0 and Q4_0 row kernels and the Q8_0 tile kernel take the two rows of a pair at once: a range that
     * starts or ends inside a pair, or holds the last row of an odd count alone, must give every row the product it
     * has in the whole range, bit for bit. Ranges like these are what the worker chunks of a matrix product get.
     */
    @ParameterizedTest(name = "{0}-bit, {1}")
    @MethodSource("pairedLayouts")
    void rowRangesThatSplitPairsGiveTheProductsOfTheWholeRange(int bits, DType type) {
        Simd simd = Simd.withBits(bits);
        int cols = 288;
        Tensor w = weights.randomMatrix("w", type, ROWS, cols, 0.7f);
        PackedMatrix packed = pack(w, simd.ints().length());
        QuantizedActivations activations = new QuantizedActivations(cols, simd.ints().length(), 1);
        activations.tileRows(0);
        activations.quantize(simd, weights.uniform(cols, 3f), 0, 0, new int[PackedMatrix.BLOCK]);
        float[] whole = new float[ROWS];
        QuantMatMulStep.rowProducts(simd, packed, activations, 0, 0, ROWS, whole);
        int tile = QuantKernels.TILE;
        QuantizedActivations tiled = new QuantizedActivations(cols, simd.ints().length(), tile);
        tiled.tileRows(tile);
        float[] x = weights.uniform(tile * cols, 3f);
        for (int row = 0; row < tile; row++) {
            tiled.quantize(simd, x, row * cols, row, new int[PackedMatrix.BLOCK]);
        }
        float[] wholeTile = new float[tile * ROWS];
        QuantMatMulStep.tileProducts(simd, packed, tiled, 0, 0, ROWS, wholeTile);
        int[][] ranges = {{0, 1}, {1, 2}, {1, 4}, {3, 20}, {20, 35}, {35, 37}, {36, 37}, {5, 6}};
        for (int[] range : ranges) {
            float[] part = new float[ROWS];
            QuantMatMulStep.rowProducts(simd, packed, activations, 0, range[0], range[1], part);
            float[] tilePart = new float[tile * ROWS];
            QuantMatMulStep.tileProducts(simd, packed, tiled, 0, range[0], range[1], tilePart);
            for (int r = 0; r < ROWS; r++) {
                boolean inside = r >= range[0] && r < range[1];
                assertThat(part[r]).as("rows [%d, %d), row %d", range[0], range[1], r)
                        .isEqualTo(inside ? whole[r] : 0f);
                for (int k = 0; k < tile; k++) {
                    assertThat(tilePart[k * ROWS + r]).as("tile row %d, rows [%d, %d), row %d", k, range[0],
                            range[1], r).isEqualTo(inside ? wholeTile[k * ROWS + r] : 0f);
                }
            }
        }
    }

    static Stream<Arguments> pairedLayouts() {
        List<Arguments> cases = new ArrayList<>();
        for (int bits : new int[] {128, 256, 512}) {
            for (DType type : List.of(DType.Q4_0, DType.Q8_0)) {
                cases.add(arguments(bits, type));
            }
        }
        return cases.stream();
    }

    private static void quantizeAll(Simd simd, QuantizedActivations activations, float[] x, int cols, int tiledRows) {
        activations.tileRows(tiledRows);
        for (int row = 0; row < BATCH; row++) {
            activations.quantize(simd, x, row * cols, row, new int[PackedMatrix.BLOCK]);
        }
    }

    @ParameterizedTest(name = "{0}-bit, {1}, {2} columns")
    @MethodSource("cases")
    void decodedRowsEqualTheReferenceDequantization(int bits, DType type, int cols) {
        Tensor w = weights.randomMatrix("w", type, ROWS, cols, 2f);
        PackedMatrix packed = pack(w, Simd.withBits(bits).ints().length());
        float[] expected = new float[cols];
        float[] actual = new float[cols + 1];
        for (int r = 0; r < ROWS; r++) {
            type.format().dequantize(w.data(), r * w.rowBytes(), expected, 0, cols);
            packed.decodeRow(r, actual, 1);
            for (int i = 0; i < cols; i++) {
                // == rather than isEqualTo: a format may give a zero of the other sign (see LeveledFormat).
                assertThat(actual[1 + i] == expected[i]).as("row %d element %d: %s, expected %s", r, i,
                        actual[1 + i], expected[i]).isTrue();
            }
        }
    }

    @Test
    void aBlockWithAnInfiniteScaleIsRejectedWithItsPlace() {
        Tensor w = weights.randomMatrix("w", DType.Q8_0, 3, 64, 1f);
        w.data().set(Layouts.SHORT, w.rowBytes() + DType.Q8_0.blockBytes(), Float.floatToFloat16(Float.NaN));
        assertThatThrownBy(() -> pack(w, 8))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("tensor w")
                .hasMessageContaining("block 1 of row 1");
    }

    @Test
    void aKQuantBlockWithANonFiniteScaleIsRejectedWithItsPlace() {
        Tensor w = weights.randomMatrix("w", DType.Q6_K, 2, 512, 1f);
        // Q6_K's binary16 d closes its 210-byte super-block.
        w.data().set(Layouts.SHORT, w.rowBytes() + 2L * DType.Q6_K.blockBytes() - 2, Float.floatToFloat16(
                Float.POSITIVE_INFINITY));
        assertThatThrownBy(() -> pack(w, 8))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("tensor w")
                .hasMessageContaining("block 1 of row 1");
    }

    @Test
    void activationLevelsSpanMinus127To127WithTheBlockMaximumExact() {
        Simd simd = Simd.withBits(256);
        float[] x = new float[64];
        for (int i = 0; i < 32; i++) {
            x[i] = (i - 16) / 16f;
        }
        x[40] = -5f;
        QuantizedActivations activations = new QuantizedActivations(64, 8, 1);
        activations.quantize(simd, x, 0, 0, new int[PackedMatrix.BLOCK]);
        assertThat(activations.scales()[0]).isEqualTo(1f / 127);
        assertThat(activations.scales()[1]).isEqualTo(5f / 127);
        // Block 0 element 0 is level -127; block 1 element 8 (pair 4, odd member) is level -127.
        assertThat(activations.quants()[0]).isEqualTo((short) -127);
        assertThat(activations.quants()[4 * 16 + 2 + 0]).isEqualTo((short) -127);
        int sum = 0;
        for (int i = 0; i < 32; i++) {
            sum += (int) Math.rint(x[i] * 127);
        }
        assertThat(activations.offsets()[0]).isEqualTo(8 * sum);
        assertThat(activations.blockSums()[0]).isEqualTo(sum / 127f);
    }

    private PackedMatrix pack(Tensor w, int lanes) {
        return PackedMatrix.pack(w, lanes, arena.allocate(PackedMatrix.bytes(w, lanes)), pool);
    }

    /** The documented arithmetic, scalar: levels {@code rint(x * 127 / max|x|)}, exact integer block sums. */
    private static double scalarProduct(Tensor w, int row, float[] x, int xOff, int cols) {
        float[] values = new float[cols];
        w.type().format().dequantize(w.data(), row * w.rowBytes(), values, 0, cols);
        double total = 0;
        for (int b = 0; b < cols / PackedMatrix.BLOCK; b++) {
            float amax = 0;
            for (int i = 0; i < PackedMatrix.BLOCK; i++) {
                amax = Math.max(amax, Math.abs(x[xOff + b * PackedMatrix.BLOCK + i]));
            }
            float inverse = amax > 0 ? 127f / amax : 0f;
            double sum = 0;
            for (int i = 0; i < PackedMatrix.BLOCK; i++) {
                sum += values[b * PackedMatrix.BLOCK + i] * Math.rint(x[xOff + b * PackedMatrix.BLOCK + i] * inverse);
            }
            total += sum * (amax / 127f);
        }
        return total;
    }
}
