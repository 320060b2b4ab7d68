package io.github.infer4j.synthetic;

import io.github.infer4j.gguf.GgufWriter;

/**
 * Rows of N(0, scale) values, each computed from the seed and its own index alone, so that rows come out the same
 * in any order and a billion of them take seconds. A value is the sum of four 16-bit uniforms from one SplitMix64
 * output, centred and scaled to the standard deviation (Irwin-Hall with n = 4: a close, bounded approximation of
 * the normal distribution, within 3.5 standard deviations), which is all random weights need.
 */
record NormalRows(long seed, int cols, float scale) implements GgufWriter.RowSource {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    /** 1 / the standard deviation of a sum of four uniforms on [0, 1), whose variance is 4 / 12. */
    private static final double UNIT_SCALE = Math.sqrt(3.0);
    /** Four fields of 0..65535 average 4 * 32767.5. */
    private static final long MEAN_SUM = 131070;

    @Override
    public void fill(long row, float[] target, int offset) {
        double factor = UNIT_SCALE * scale / 65536.0;
        long index = row * cols;
        for (int i = 0; i < cols; i++) {
            long bits = mix(seed + (index + i) * GOLDEN_GAMMA);
            long sum = (bits & 0xFFFF) + ((bits >>> 16) & 0xFFFF) + ((bits >>> 32) & 0xFFFF) + (bits >>> 48);
            target[offset + i] = (float) ((sum - MEAN_SUM) * factor);
        }
    }

    /** SplitMix64's finaliser: a bijection of 64-bit values whose outputs pass statistical tests as random. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
