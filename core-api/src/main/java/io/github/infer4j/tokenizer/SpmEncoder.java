package io.github.infer4j.tokenizer;

import io.github.infer4j.Infer4jException;

import java.nio.charset.StandardCharsets;

/**
 * SentencePiece-style BPE as llama.cpp runs it for {@code tokenizer.ggml.model = llama}: spaces become U+2581, the
 * text starts as one symbol per character, and the adjacent pair whose concatenation is the highest-scoring token
 * is merged first (leftmost on ties) until no pair forms a token. Characters that are no token fall back to their
 * UTF-8 bytes as {@code <0xAB>} tokens; a vocabulary without byte tokens gets the unknown token per byte instead
 * (where llama.cpp would stop with an error).
 */
final class SpmEncoder implements SubwordEncoder {
    static final char SPACE_MARK = '\u2581';

    private final TokenTable tokens;
    private final float[] scores;
    private final int[] byteTokens = new int[256];
    private final int unknownId;
    private final boolean addSpacePrefix;

    SpmEncoder(TokenTable tokens, Vocabulary vocabulary) {
        this.tokens = tokens;
        this.scores = vocabulary.scores() != null ? vocabulary.scores() : new float[tokens.size()];
        this.unknownId = vocabulary.unknownId();
        this.addSpacePrefix = vocabulary.addSpacePrefix();
        for (int b = 0; b < 256; b++) {
            int id = tokens.find(String.format("<0x%02X>", b));
            if (id < 0) {
                id = tokens.find(String.valueOf((char) b));
            }
            byteTokens[b] = id;
        }
    }

    @Override
    public boolean cleanSpaces() {
        return false;
    }

    @Override
    public byte[] normalPiece(String text) {
        return text.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void encode(String text, boolean afterSpecial, IntList out) {
        boolean prefix = addSpacePrefix && afterSpecial;
        int n = text.length() + (prefix ? 1 : 0);
        char[] chars = new char[n];
        int k = 0;
        if (prefix) {
            chars[k++] = SPACE_MARK;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            chars[k++] = c == ' ' ? SPACE_MARK : c;
        }
        new Session(chars).run(out);
    }

    /** Sortable key: highest score first, then leftmost pair, as llama.cpp's SPM bigram queue orders them. */
    private static long priority(float score, int left) {
        int bits = Float.floatToIntBits(score == 0f ? 0f : score);
        int ascending = bits < 0 ? ~bits : bits | 0x80000000;
        return ((~ascending & 0xFFFFFFFFL) << 32) | left;
    }

    /** The symbol chain of one text; symbols are contiguous, so a pair is always one slice of {@code chars}. */
    private final class Session {
        private final char[] chars;
        private final int[] start;
        private final int[] length;
        private final int[] prev;
        private final int[] next;
        private final MergeQueue queue = new MergeQueue();
        private final byte[] utf8 = new byte[4];

        Session(char[] chars) {
            this.chars = chars;
            int n = chars.length;
            start = new int[n];
            length = new int[n];
            prev = new int[n];
            next = new int[n];
            int count = 0;
            for (int i = 0; i < n; ) {
                int len = Character.isHighSurrogate(chars[i]) && i + 1 < n && Character.isLowSurrogate(chars[i + 1])
                        ? 2 : 1;
                start[count] = i;
                length[count] = len;
                prev[count] = count - 1;
                i += len;
                next[count] = i == n ? -1 : count + 1;
                count++;
            }
            for (int i = 1; i < count; i++) {
                tryAddPair(i - 1, i);
            }
        }

        void run(IntList out) {
            while (!queue.isEmpty()) {
                int left = (int) queue.topKey();
                int size = queue.topPayload();
                queue.removeTop();
                int right = next[left];
                // a pair whose symbols changed since it was queued is stale: its combined length no longer matches
                if (length[left] == 0 || right == -1 || length[left] + length[right] != size) {
                    continue;
                }
                length[left] += length[right];
                length[right] = 0;
                next[left] = next[right];
                if (next[right] >= 0) {
                    prev[next[right]] = left;
                }
                tryAddPair(prev[left], left);
                tryAddPair(left, next[left]);
            }
            for (int i = 0; i != -1; i = next[i]) {
                int id = tokens.find(chars, start[i], start[i] + length[i]);
                if (id >= 0) {
                    out.add(id);
                } else {
                    appendBytes(Character.codePointAt(chars, start[i]), utf8, out);
                }
            }
        }

        private void tryAddPair(int left, int right) {
            if (left == -1 || right == -1) {
                return;
            }
            int size = length[left] + length[right];
            int id = tokens.find(chars, start[left], start[left] + size);
            if (id >= 0) {
                queue.push(priority(scores[id], left), size);
            }
        }
    }

    private void appendBytes(int codePoint, byte[] utf8, IntList out) {
        int count = Utf8.encode(codePoint, utf8, 0);
        for (int i = 0; i < count; i++) {
            int b = utf8[i];
            int id = byteTokens[b & 0xFF];
            if (id < 0) {
                id = unknownId;
            }
            if (id < 0) {
                throw new Infer4jException(String.format(
                        "cannot encode U+%04X: the vocabulary has neither a byte token <0x%02X> nor an unknown token",
                        codePoint, b & 0xFF));
            }
            out.add(id);
        }
    }
}
