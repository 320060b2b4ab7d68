package io.github.infer4j.tokenizer;

import java.util.Arrays;

/**
 * String-to-id table with open addressing that can look up a slice of a {@code char[]} without building a String:
 * the merge loops probe one candidate per adjacent pair, and a substring per probe would dominate their cost.
 * Ids are dense and assigned in insertion order. The characters of all entries sit in one pool and each slot holds
 * the hash next to the id, so a probe touches two or three cache lines, which is what keeps loading a vocabulary
 * with hundreds of thousands of merges fast.
 */
final class TokenTable {
    private String[] strings;
    private int[] starts; // starts[id] .. starts[id + 1] is the entry's range in pool
    private char[] pool;
    private int size;
    private long[] slots; // (hash << 32) | (id + 1), 0 = empty
    private int mask;
    private int shift;

    TokenTable(int expectedSize) {
        int capacity = Math.max(16, expectedSize);
        strings = new String[capacity];
        starts = new int[capacity + 1];
        pool = new char[capacity * 8];
        allocateSlots(Integer.highestOneBit(capacity * 2 - 1) << 1);
    }

    int size() {
        return size;
    }

    String text(int id) {
        return strings[id];
    }

    /** Adds {@code s} (which must not be present yet) and returns its new id. */
    int add(String s) {
        if (size == strings.length) {
            strings = Arrays.copyOf(strings, size * 2);
            starts = Arrays.copyOf(starts, size * 2 + 1);
        }
        if ((size + 1) * 2 > slots.length) {
            long[] old = slots;
            allocateSlots(slots.length * 2);
            for (long entry : old) {
                if (entry != 0) {
                    insert(entry);
                }
            }
        }
        int start = starts[size];
        if (start + s.length() > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, start + s.length()));
        }
        s.getChars(0, s.length(), pool, start);
        int id = size++;
        strings[id] = s;
        starts[id + 1] = start + s.length();
        insert(((long) hash(s) << 32) | (id + 1));
        return id;
    }

    /** The id of {@code s}, or -1. */
    int find(CharSequence s) {
        int hash = hash(s);
        int length = s.length();
        for (int slot = home(hash); ; slot = (slot + 1) & mask) {
            long entry = slots[slot];
            if (entry == 0) {
                return -1;
            }
            int id = (int) entry - 1;
            if ((int) (entry >>> 32) == hash && starts[id + 1] - starts[id] == length && sameChars(s, starts[id])) {
                return id;
            }
        }
    }

    /** The id of the string held in {@code chars[from, to)}, or -1. */
    int find(char[] chars, int from, int to) {
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + chars[i];
        }
        int length = to - from;
        for (int slot = home(hash); ; slot = (slot + 1) & mask) {
            long entry = slots[slot];
            if (entry == 0) {
                return -1;
            }
            int id = (int) entry - 1;
            int start = starts[id];
            if ((int) (entry >>> 32) == hash && starts[id + 1] - start == length
                    && Arrays.equals(pool, start, start + length, chars, from, to)) {
                return id;
            }
        }
    }

    private boolean sameChars(CharSequence s, int start) {
        for (int i = 0; i < s.length(); i++) {
            if (pool[start + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void allocateSlots(int capacity) {
        slots = new long[capacity];
        mask = capacity - 1;
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    private void insert(long entry) {
        int slot = home((int) (entry >>> 32));
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = entry;
    }

    private static int hash(CharSequence s) {
        int hash = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            hash = 31 * hash + s.charAt(i);
        }
        return hash;
    }

    /** Fibonacci hashing: the high bits of the product mix all bits of the polynomial hash. */
    private int home(int hash) {
        return (hash * 0x9E3779B1) >>> shift;
    }
}
