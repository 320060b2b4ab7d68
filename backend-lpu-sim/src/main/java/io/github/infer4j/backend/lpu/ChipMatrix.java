package io.github.infer4j.backend.lpu;

import io.github.infer4j.tensor.Tensor;

/**
 * A block of a weight matrix as one chip holds it in SRAM: rows {@code [row0, row0 + rows)} and columns
 * {@code [col0, col0 + cols)} of the GGUF tensor, re-expressed in the chip's only matrix formats. fp16: each weight
 * rounded to binary16 (saturating at +-65504, the chip's conversion). int8: each row's largest magnitude maps to
 * 127, so a row is {@code q[c] * scale}; Q8_0 and Q4_0 blocks are dequantized and re-quantized this way because the
 * planes sum a whole row in int32 and cannot change scale every 32 elements.
 */
final class ChipMatrix {
    private static final float FP16_MAX = 65504f;

    final int rows;
    final int cols;
    final LpuPrecision format;
    /** fp16 weights, as floats holding binary16 values; null for int8. */
    final float[] half;
    /** int8 weights, row-major; null for fp16. */
    final byte[] q;
    /** Per-row scales of int8 weights. */
    final float[] scale;

    private ChipMatrix(int rows, int cols, LpuPrecision format, float[] half, byte[] q, float[] scale) {
        this.rows = rows;
        this.cols = cols;
        this.format = format;
        this.half = half;
        this.q = q;
        this.scale = scale;
    }

    static ChipMatrix of(Tensor t, LpuPrecision format, int row0, int rows, int col0, int cols) {
        int fullCols = Math.toIntExact(t.cols());
        float[] row = new float[fullCols];
        float[] half = format == LpuPrecision.FP16 ? new float[rows * cols] : null;
        byte[] q = format == LpuPrecision.INT8 ? new byte[rows * cols] : null;
        float[] scale = format == LpuPrecision.INT8 ? new float[rows] : null;
        for (int r = 0; r < rows; r++) {
            t.type().format().dequantize(t.data(), (row0 + r) * t.rowBytes(), row, 0, fullCols);
            if (half != null) {
                for (int c = 0; c < cols; c++) {
                    half[r * cols + c] = toHalf(row[col0 + c]);
                }
            } else {
                float max = 0;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, Math.abs(row[col0 + c]));
                }
                float s = max / 127f;
                float inv = s == 0 ? 0 : 1 / s;
                scale[r] = s;
                for (int c = 0; c < cols; c++) {
                    q[r * cols + c] = (byte) roundToInt8(row[col0 + c] * inv);
                }
            }
        }
        return new ChipMatrix(rows, cols, format, half, q, scale);
    }

    /** The chip's float to binary16 conversion: round to nearest even, saturating instead of overflowing. */
    static float toHalf(float v) {
        float clamped = Math.max(-FP16_MAX, Math.min(FP16_MAX, v));
        return Float.float16ToFloat(Float.floatToFloat16(clamped));
    }

    /** Round half away from zero into [-127, 127], the symmetric int8 range. */
    static int roundToInt8(float v) {
        int r = (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
        return Math.max(-127, Math.min(127, r));
    }

    /** Element {@code (r, c)} as the chip sees it, dequantized. */
    float get(int r, int c) {
        return half != null ? half[r * cols + c] : q[r * cols + c] * scale[r];
    }

    long bytes() {
        return (long) rows * cols * format.bytes() + (scale != null ? 4L * rows : 0);
    }
}
