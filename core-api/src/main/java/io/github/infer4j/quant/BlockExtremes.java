package io.github.infer4j.quant;

/**
 * The extremes ggml's reference quantizers derive a block's scale from, found with ggml's exact comparisons: which
 * of two equal magnitudes, or of -0.0 and 0.0, wins ends up in the stored scale.
 */
final class BlockExtremes {
    private BlockExtremes() {
    }

    /**
     * The element of {@code x[at..at+n)} with the largest magnitude, sign kept; on ties the first. 0 when every
     * element is zero (or NaN), since only a strictly larger magnitude replaces the one held.
     */
    static float largestMagnitude(float[] x, int at, int n) {
        float amax = 0f;
        float max = 0f;
        for (int i = 0; i < n; i++) {
            float v = x[at + i];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    /** The smallest element by {@code <}, not {@link Math#min}, which would prefer -0.0 to an earlier 0.0. */
    static float min(float[] x, int at, int n) {
        float min = Float.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (x[at + i] < min) {
                min = x[at + i];
            }
        }
        return min;
    }

    /** The largest element by {@code >}, not {@link Math#max}, which would prefer 0.0 to an earlier -0.0. */
    static float max(float[] x, int at, int n) {
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (x[at + i] > max) {
                max = x[at + i];
            }
        }
        return max;
    }
}
