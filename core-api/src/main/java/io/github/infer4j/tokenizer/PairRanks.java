package io.github.infer4j.tokenizer;

/**
 * Open-addressing map from an ordered pair of symbol ids to the rank of their BPE merge. A 128k-token vocabulary
 * carries close to 300k merges; primitive arrays hold them in a few megabytes and load in milliseconds.
 */
final class PairRanks {
    private final long[] keys;
    private final int[] ranks; // rank + 1, 0 = empty
    private final int mask;
    private final int shift;

    PairRanks(int expectedPairs) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedPairs) * 2 - 1) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** Records {@code rank} for the pair unless the pair already has one: the first merge listed wins. */
    void putIfAbsent(int left, int right, int rank) {
        long key = pack(left, right);
        int slot = home(key);
        while (ranks[slot] != 0) {
            if (keys[slot] == key) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        ranks[slot] = rank + 1;
    }

    /** The merge rank of (left, right), or -1 when the pair does not merge. */
    int rank(int left, int right) {
        long key = pack(left, right);
        for (int slot = home(key); ranks[slot] != 0; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return ranks[slot] - 1;
            }
        }
        return -1;
    }

    private static long pack(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }
}
