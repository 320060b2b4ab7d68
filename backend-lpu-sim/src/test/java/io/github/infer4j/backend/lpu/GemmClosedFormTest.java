package io.github.infer4j.backend.lpu;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lone matrix multiplication takes exactly the cycles its closed form says: each plane installs its tiles back to
 * back (or multiplies back to back once a batch takes longer than an install), and the last tile's results go
 * through the vector unit into SRAM.
 */
class GemmClosedFormTest {
    private final LpuConfig config = LpuConfig.groqChip1();
    private final Floorplan plan = new Floorplan(config);

    private ChipSchedule gemm(int in, int out, LpuPrecision format, int rows) {
        Step step = new Step(new Kernel.MatMul("w", in, out, format), 1, 2, new int[] {0}, false, -1);
        return Lowering.schedule(List.of(step), Map.of(0, 2), config, rows, config.vectorBytes(), 2);
    }

    /**
     * {@code read latency + d + I + (n - 1) max(I, R) + MXM latency + d' + VXM latency + d'' + R + write latency}
     * with {@code n} tiles per plane, {@code I = ceil(tile rows / install streams)} cycles per install, {@code d} the
     * distance from a plane's farthest weight slice to it, {@code d'} from a plane to the vector unit and
     * {@code d''} from the vector unit to the activation slices.
     */
    private long closedForm(int in, int out, int side, int rows) {
        int planes = config.mxmPlanes();
        int tilesPerPlane = Math.ceilDiv(in, side) * Math.ceilDiv(out, side) / planes;
        long install = Math.ceilDiv(side, config.installStreams());
        long farthest = 0;
        for (int p = 0; p < planes; p++) {
            int[] slices = plan.weightSlices(p);
            farthest = Math.max(farthest, Math.abs(plan.memPos(slices[slices.length - 1]) - plan.mxmPos(p)));
        }
        long toVector = Math.abs(plan.mxmPos(0) - plan.vxmPos());
        long toSram = Math.abs(plan.vxmPos() - plan.memPos(plan.activationSlices()[0]));
        return config.memReadLatency() + farthest + install + (tilesPerPlane - 1) * Math.max(install, rows)
                + config.mxmLatency() + toVector + config.vxmLatency() + toSram + rows + config.memWriteLatency();
    }

    @ParameterizedTest(name = "fp16 {0} x {1}, {2} rows")
    @CsvSource({"480, 640, 1", "480, 640, 12", "800, 1280, 1", "800, 1280, 4", "800, 1280, 32", "160, 2560, 7",
            "1600, 640, 100"})
    void fp16GemmTakesItsClosedForm(int in, int out, int rows) {
        assertThat(gemm(in, out, LpuPrecision.FP16, rows).cycles())
                .isEqualTo(closedForm(in, out, config.mxmSide() / 2, rows));
    }

    /** int8 weights add the activations' quantization before the tiles, the same for every output width. */
    @ParameterizedTest(name = "int8 {0} inputs, {1} rows")
    @CsvSource({"640, 1", "960, 8", "2560, 2", "1920, 5"})
    void int8GemmGrowsByOneInstallPerTilePerPlane(int in, int rows) {
        int side = config.mxmSide();
        long four = gemm(in, 4 * side, LpuPrecision.INT8, rows).cycles();
        long eight = gemm(in, 8 * side, LpuPrecision.INT8, rows).cycles();
        long install = Math.ceilDiv(side, config.installStreams());
        assertThat(eight - four).isEqualTo(Math.ceilDiv(in, side) * Math.max(install, rows));
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"480, 640", "800, 1280"})
    void theWorkIsAllCountedOnThePlanes(int in, int out) {
        ChipSchedule s = gemm(in, out, LpuPrecision.FP16, 3);
        assertThat(s.macs()).isEqualTo(3L * in * out);
        long installs = (long) Math.ceilDiv(in, 160) * Math.ceilDiv(out, 160);
        assertThat(s.busy(UnitType.MXM_INSTALL)).isEqualTo(installs * Math.ceilDiv(160, config.installStreams()));
        assertThat(s.busy(UnitType.MXM_COMPUTE)).isEqualTo(installs * 3);
    }
}
