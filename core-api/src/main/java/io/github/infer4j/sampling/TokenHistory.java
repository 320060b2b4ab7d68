package io.github.infer4j.sampling;

import java.util.Arrays;

/**
 * The tokens a session has seen so far, prompt and generated alike, in order. The {@link Sampler}'s penalties
 * count occurrences in its latest tokens. Backed by a growing {@code int[]} so that adding a token never boxes.
 */
public final class TokenHistory {
    private static final int DEFAULT_CAPACITY = 256;
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private int[] tokens;
    private int size;

    public TokenHistory() {
        this(DEFAULT_CAPACITY);
    }

    public TokenHistory(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity must be >= 0, got " + initialCapacity);
        }
        tokens = new int[initialCapacity];
    }

    public void add(int token) {
        requireTokenId(token);
        ensureCapacity(size + 1L);
        tokens[size++] = token;
    }

    public void addAll(int... newTokens) {
        for (int token : newTokens) {
            requireTokenId(token);
        }
        ensureCapacity((long) size + newTokens.length);
        System.arraycopy(newTokens, 0, tokens, size, newTokens.length);
        size += newTokens.length;
    }

    public int size() {
        return size;
    }

    public int get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside the history of " + size + " tokens");
        }
        return tokens[index];
    }

    /** Drops the tokens from {@code newSize} on, e.g. when a session rewinds its KV cache to an earlier turn. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate a history of " + size + " tokens to " + newSize);
        }
        size = newSize;
    }

    public void clear() {
        size = 0;
    }

    public int[] toArray() {
        return Arrays.copyOf(tokens, size);
    }

    private void ensureCapacity(long needed) {
        if (needed <= tokens.length) {
            return;
        }
        if (needed > MAX_CAPACITY) {
            throw new IllegalStateException("a token history holds at most " + MAX_CAPACITY + " tokens");
        }
        // Doubling keeps adding amortised O(1).
        long capacity = Math.max(needed, Math.max(DEFAULT_CAPACITY, 2L * tokens.length));
        tokens = Arrays.copyOf(tokens, (int) Math.min(capacity, MAX_CAPACITY));
    }

    private static void requireTokenId(int token) {
        if (token < 0) {
            throw new IllegalArgumentException("token ids are >= 0, got " + token);
        }
    }
}
