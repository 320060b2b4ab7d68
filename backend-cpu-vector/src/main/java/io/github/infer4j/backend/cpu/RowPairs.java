package io.github.infer4j.backend.cpu;

/**
 * Where the rows of a {@link PackedMatrix} whose layout pairs rows ({@link PackedLayout#pairsRows}) lie. Rows
 * {@code 2p} and {@code 2p + 1} share one region of two rows' bytes in which their groups alternate (group 0 of row
 * {@code 2p}, group 0 of row {@code 2p + 1}, group 1 of row {@code 2p}, ...), so that a decode kernel that takes both
 * rows at once, loading each activation vector once for the two, still reads one sequential stream. Read as two
 * streams, two rows at once decoded slower than one row at a time. A last row without a partner (an odd row count)
 * lies alone, its groups in order.
 */
final class RowPairs {
    private RowPairs() {
    }

    /** Offset of row {@code row}'s first group. */
    static long start(int row, long rowBytes, long groupBytes) {
        return (row & ~1) * rowBytes + (row & 1) * groupBytes;
    }

    /** Bytes from one group of row {@code row} to its next, in a matrix of {@code rows} rows. */
    static int groupStride(int row, int rows, int groupBytes) {
        return row < (rows & ~1) ? 2 * groupBytes : groupBytes;
    }

    /** Whether {@code row} and the next row form a pair that lies entirely before {@code end}. */
    static boolean pairAt(int row, int end, int rows) {
        return (row & 1) == 0 && row + 1 < end && row + 1 < (rows & ~1);
    }
}
