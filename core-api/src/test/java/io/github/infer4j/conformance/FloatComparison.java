package io.github.infer4j.conformance;

/**
 * How the conformance kit decides that a backend's output equals the reference's. Errors are measured against the
 * output's scale ({@code max(1, max |expected|)}) rather than element by element: float sums in another order
 * differ in proportion to the largest terms, so a small element of a large output may legitimately have a large
 * relative error, while any real mistake (a wrong element, row or head) moves values by a sizeable part of the scale.
 */
public final class FloatComparison {
    private FloatComparison() {
    }

    /**
     * Throws an {@link AssertionError} naming {@code what}, the worst element and both values unless every one of
     * the first {@code n} elements satisfies {@code |actual - expected| <= tolerance * scale}. NaN never passes.
     */
    public static void assertClose(String what, float[] expected, float[] actual, int n, double tolerance) {
        if (expected.length < n || actual.length < n) {
            throw new AssertionError(what + ": expected " + n + " values, arrays hold " + expected.length + " and "
                    + actual.length);
        }
        double scale = 1;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        double bound = tolerance * scale;
        int worst = -1;
        double worstError = 0;
        for (int i = 0; i < n; i++) {
            double error = Math.abs((double) actual[i] - expected[i]);
            if (!(error <= bound) && (worst < 0 || !(error <= worstError))) {
                worst = i;
                worstError = error;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(String.format(
                    "%s: element %d is %s, reference %s (error %.3g > %.3g = tolerance %.1g x scale %.4g)",
                    what, worst, actual[worst], expected[worst], worstError, bound, tolerance, scale));
        }
    }
}
