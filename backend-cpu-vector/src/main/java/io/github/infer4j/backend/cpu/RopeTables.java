package io.github.infer4j.backend.cpu;

import io.github.infer4j.graph.Rope;
import io.github.infer4j.graph.RopeMode;

import java.util.Arrays;

/**
 * Cosines and sines of each batch row's position, shared by every rope op of a plan with the same frequencies and
 * mode (all layers, queries and keys alike), so they are computed once per row and call rather than once per op.
 * For {@link RopeMode#NORMAL} they are laid out per dimension, {@code cos} repeated for both members of a pair and
 * {@code sin} negated for the first, so that rotating is {@code x * cos + swap(x) * sin} over whole vectors.
 */
final class RopeTables {
    private final RopeMode mode;
    private final float[] invFreq;
    private final float[][] cos;
    private final float[][] sin;
    private final int[] position;

    RopeTables(Rope rope, int maxBatch) {
        this.mode = rope.mode();
        this.invFreq = rope.invFreq();
        int length = mode == RopeMode.NORMAL ? 2 * invFreq.length : invFreq.length;
        this.cos = new float[maxBatch][length];
        this.sin = new float[maxBatch][length];
        this.position = new int[maxBatch];
        Arrays.fill(position, -1);
    }

    boolean fits(Rope rope) {
        return rope.mode() == mode && Arrays.equals(rope.invFreq(), invFreq);
    }

    /** Makes row {@code row}'s tables hold position {@code p}; angles are taken in double like the reference. */
    void prepare(int row, int p) {
        if (position[row] == p) {
            return;
        }
        float[] c = cos[row];
        float[] s = sin[row];
        for (int i = 0; i < invFreq.length; i++) {
            double angle = p * (double) invFreq[i];
            float ci = (float) Math.cos(angle);
            float si = (float) Math.sin(angle);
            if (mode == RopeMode.NORMAL) {
                c[2 * i] = ci;
                c[2 * i + 1] = ci;
                s[2 * i] = -si;
                s[2 * i + 1] = si;
            } else {
                c[i] = ci;
                s[i] = si;
            }
        }
        position[row] = p;
    }

    float[] cos(int row) {
        return cos[row];
    }

    float[] sin(int row) {
        return sin[row];
    }
}
