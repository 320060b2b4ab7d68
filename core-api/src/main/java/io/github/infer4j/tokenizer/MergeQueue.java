package io.github.infer4j.tokenizer;

import java.util.Arrays;

/**
 * Binary min-heap of candidate merges. Each entry is a 64-bit key compared as an unsigned number (the caller packs
 * its priority into the high bits and the left symbol index into the low bits, which reproduces llama.cpp's
 * tie-break on the leftmost pair) plus one int of payload. Primitive arrays keep a long merge loop free of boxing.
 */
final class MergeQueue {
    private long[] keys = new long[64];
    private int[] payloads = new int[64];
    private int size;

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void push(long key, int payload) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            payloads = Arrays.copyOf(payloads, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (Long.compareUnsigned(keys[parent], key) <= 0) {
                break;
            }
            keys[i] = keys[parent];
            payloads[i] = payloads[parent];
            i = parent;
        }
        keys[i] = key;
        payloads[i] = payload;
    }

    long topKey() {
        return keys[0];
    }

    int topPayload() {
        return payloads[0];
    }

    void removeTop() {
        size--;
        if (size == 0) {
            return;
        }
        long key = keys[size];
        int payload = payloads[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && Long.compareUnsigned(keys[child + 1], keys[child]) < 0) {
                child++;
            }
            if (Long.compareUnsigned(keys[child], key) >= 0) {
                break;
            }
            keys[i] = keys[child];
            payloads[i] = payloads[child];
            i = child;
        }
        keys[i] = key;
        payloads[i] = payload;
    }
}
