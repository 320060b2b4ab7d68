package io.github.infer4j.backend.lpu;

/**
 * A kernel placed in a chip program: the value it writes ({@code out}, stored at {@code outBytes} per element), the
 * values it reads, whether it works on a single row (after {@code LastRow}), and the graph op it computes
 * ({@code -1} for transfers the compiler added and for planned-only models).
 */
record Step(Kernel kernel, int out, int outBytes, int[] in, boolean singleRow, int graphOp) {
    Step {
        in = in.clone();
    }

    @Override
    public int[] in() {
        return in.clone();
    }

    int input(int i) {
        return in[i];
    }

    int inputCount() {
        return in.length;
    }
}
