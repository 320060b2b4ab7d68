package io.github.infer4j.sampling;

/**
 * The token ids still in the running, ordered from most to least likely only as far as a filter asks. A full sort
 * of a 128K vocabulary per token would dominate small models, while top-k, top-p and min-p each keep just a short
 * best-first prefix; so the ids sit in a max-heap and are popped into a sorted prefix on demand:
 * O(vocab + kept * log(vocab)) per token, and a single comparison per token for the top-k pass.
 *
 * <p>Layout of {@code ids[0..size)}: {@code [0..sorted)} is the sorted prefix; {@code [sorted..size)} is a binary
 * max-heap stored mirrored, heap node {@code p} at index {@code size - 1 - p}, so that popping the root swaps it
 * with the heap's last node, which sits exactly at index {@code sorted}, extending the prefix in place.
 *
 * <p>Equal logits order by the lower id first, so that results never depend on heap layout.
 */
final class Candidates {
    private final int[] ids;
    private float[] logits;
    private int size;
    private int sorted;

    Candidates(int vocabSize) {
        ids = new int[vocabSize];
    }

    /**
     * Makes the {@code limit} most likely ids the candidates (all of them when {@code limit} is at least the
     * vocabulary size): top-k, done while gathering the ids.
     */
    void reset(float[] logits, int limit) {
        this.logits = logits;
        int vocabSize = ids.length;
        if (limit < vocabSize) {
            selectBest(limit);
            size = limit;
        } else {
            for (int i = 0; i < vocabSize; i++) {
                ids[i] = i;
            }
            size = vocabSize;
        }
        sorted = 0;
        for (int p = size / 2 - 1; p >= 0; p--) {
            siftDown(p);
        }
    }

    /**
     * Gathers the {@code k} best ids into {@code ids[0..k)} in one sequential pass: a heap of the best so far with
     * the worst of them at the root, so most tokens cost a single comparison against that root.
     */
    private void selectBest(int k) {
        for (int i = 0; i < k; i++) {
            ids[i] = i;
        }
        for (int p = k / 2 - 1; p >= 0; p--) {
            siftDownWorstFirst(p, k);
        }
        for (int id = k; id < ids.length; id++) {
            if (before(id, ids[0])) {
                ids[0] = id;
                siftDownWorstFirst(0, k);
            }
        }
    }

    private void siftDownWorstFirst(int node, int heapSize) {
        int p = node;
        while (true) {
            int child = 2 * p + 1;
            if (child >= heapSize) {
                return;
            }
            if (child + 1 < heapSize && before(ids[child], ids[child + 1])) {
                child++;
            }
            if (!before(ids[p], ids[child])) {
                return;
            }
            swap(child, p);
            p = child;
        }
    }

    int size() {
        return size;
    }

    /** The id at position {@code i} of the full order; sorts lazily up to it. */
    int sortedId(int i) {
        ensureSorted(i + 1);
        return ids[i];
    }

    /** The id at position {@code i} of the candidates in storage order: cheap, for whole-set passes. */
    int idAt(int i) {
        return ids[i];
    }

    float topLogit() {
        return logits[sortedId(0)];
    }

    /** Keeps only the {@code count} most likely candidates. */
    void keepBest(int count) {
        ensureSorted(count);
        size = count;
        sorted = count;
    }

    private void ensureSorted(int count) {
        while (sorted < count) {
            swap(size - 1, sorted);
            sorted++;
            siftDown(0);
        }
    }

    private void siftDown(int node) {
        int heapSize = size - sorted;
        int p = node;
        while (true) {
            int child = 2 * p + 1;
            if (child >= heapSize) {
                return;
            }
            if (child + 1 < heapSize && before(ids[at(child + 1)], ids[at(child)])) {
                child++;
            }
            if (!before(ids[at(child)], ids[at(p)])) {
                return;
            }
            swap(at(child), at(p));
            p = child;
        }
    }

    private int at(int heapNode) {
        return size - 1 - heapNode;
    }

    private boolean before(int a, int b) {
        float la = logits[a];
        float lb = logits[b];
        return la > lb || (la == lb && a < b);
    }

    private void swap(int i, int j) {
        int t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
}
