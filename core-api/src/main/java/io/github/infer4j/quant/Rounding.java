package io.github.infer4j.quant;

/** ggml's rounding idioms, reproduced bit for bit because the bytes its quantizers write depend on them. */
final class Rounding {
    private Rounding() {
    }

    /**
     * ggml's {@code nearest_int}: adding 1.5 * 2^23 leaves the integer part in the low mantissa bits, rounded to
     * nearest with ties to even by the float addition itself (unlike {@link Math#round}, which rounds ties up).
     * Exact for {@code |v| < 2^22}; beyond that (only degenerate scales get there) the result is as meaningless as
     * ggml's, and the same bits.
     */
    static int nearestInt(float v) {
        return (Float.floatToRawIntBits(v + 12582912f) & 0x007FFFFF) - 0x00400000;
    }
}
