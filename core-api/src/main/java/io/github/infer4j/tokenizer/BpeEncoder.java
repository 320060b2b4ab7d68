package io.github.infer4j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Byte-level BPE as llama.cpp runs it for {@code tokenizer.ggml.model = gpt2}: the pre-tokenizer splits text into
 * words, each word's UTF-8 bytes are spelled with {@link ByteLevel} characters, and adjacent symbols are merged in
 * the order of the merge list (lowest rank first, leftmost on ties).
 *
 * <p>Symbols are identified by ids in the token table: token strings keep their token id, and the few merge parts
 * or results that are not tokens get ids above the vocabulary. Merging then compares ints instead of strings.
 */
final class BpeEncoder implements SubwordEncoder {
    private final PreTokenizer preTokenizer;
    private final TokenTable symbols;
    private final int tokenCount;
    private final PairRanks ranks;
    private final int[] mergeLeft;
    private final int[] mergeRight;
    private final int[] mergeResult;
    private final int[] byteSymbols = new int[256];
    private final int[] asciiTokens = new int[128];

    /** {@code tokens} holds the vocabulary; symbols that are no token are added after it. */
    BpeEncoder(TokenTable tokens, Vocabulary vocabulary) {
        this.preTokenizer = vocabulary.preTokenizer();
        this.symbols = tokens;
        this.tokenCount = vocabulary.tokens().size();
        List<String> merges = vocabulary.merges();
        ranks = new PairRanks(merges.size());
        mergeLeft = new int[merges.size()];
        mergeRight = new int[merges.size()];
        mergeResult = new int[merges.size()];
        char[] merge = new char[64];
        for (int rank = 0; rank < merges.size(); rank++) {
            String text = merges.get(rank);
            int length = text.length();
            // llama.cpp splits at the first space after the first character
            int space = text.indexOf(' ', 1);
            if (space < 0 || space == length - 1) {
                continue; // no two non-empty halves: the merge can never apply
            }
            if (length > merge.length) {
                merge = new char[2 * length];
            }
            text.getChars(0, length, merge, 0);
            mergeLeft[rank] = symbolId(merge, 0, space);
            mergeRight[rank] = symbolId(merge, space + 1, length);
            System.arraycopy(merge, space + 1, merge, space, length - space - 1);
            mergeResult[rank] = symbolId(merge, 0, length - 1);
            ranks.putIfAbsent(mergeLeft[rank], mergeRight[rank], rank);
        }
        for (int b = 0; b < 256; b++) {
            byteSymbols[b] = symbols.find(String.valueOf(ByteLevel.encode(b)));
        }
        for (int c = 0; c < 128; c++) {
            int id = symbols.find(String.valueOf((char) c));
            asciiTokens[c] = id < tokenCount ? id : -1;
        }
    }

    /** The id of the symbol spelled by {@code chars[from, to)}, added when new: merges load without garbage. */
    private int symbolId(char[] chars, int from, int to) {
        int id = symbols.find(chars, from, to);
        return id >= 0 ? id : symbols.add(new String(chars, from, to - from));
    }

    @Override
    public boolean cleanSpaces() {
        return preTokenizer.cleanSpaces();
    }

    /** Undoes the byte-level spelling; characters outside it are shown as llama.cpp shows them. */
    @Override
    public byte[] normalPiece(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            int b = ByteLevel.decode(codePoint);
            if (b >= 0) {
                out.write(b);
            } else {
                StringBuilder unknown = new StringBuilder("[UNK_BYTE_0x");
                for (byte u : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
                    unknown.append(String.format("%02x", u & 0xFF));
                }
                unknown.append(text).append(']');
                out.writeBytes(unknown.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Override
    public void encode(String text, boolean afterSpecial, IntList out) {
        IntList words = new IntList(16);
        preTokenizer.split(text, words);
        int longest = 0;
        for (int w = 0; w < words.size(); w += 2) {
            longest = Math.max(longest, words.get(w + 1) - words.get(w));
        }
        // UTF-16 to UTF-8 grows a word by at most three bytes per char
        Session session = new Session(3 * longest);
        for (int w = 0; w < words.size(); w += 2) {
            session.encodeWord(text, words.get(w), words.get(w + 1), out);
        }
    }

    /** Work arrays sized for the longest word of one text, reused for every word in it. */
    private final class Session {
        private final byte[] bytes;
        private final char[] chars;
        private final int[] symbol;
        private final int[] length;
        private final int[] prev;
        private final int[] next;
        private final MergeQueue queue = new MergeQueue();

        Session(int capacity) {
            bytes = new byte[capacity];
            chars = new char[capacity];
            symbol = new int[capacity];
            length = new int[capacity];
            prev = new int[capacity];
            next = new int[capacity];
        }

        void encodeWord(String text, int from, int to, IntList out) {
            int n = 0;
            for (int i = from; i < to; ) {
                int codePoint = text.codePointAt(i);
                i += Character.charCount(codePoint);
                n += Utf8.encode(codePoint, bytes, n);
            }
            for (int i = 0; i < n; i++) {
                chars[i] = ByteLevel.encode(bytes[i] & 0xFF);
            }
            if (preTokenizer.ignoreMerges()) {
                int whole = symbols.find(chars, 0, n);
                if (whole >= 0 && whole < tokenCount) {
                    out.add(whole);
                    return;
                }
            }
            // every symbol starts as one byte, and a merge keeps the left start, so symbol i begins at char i
            for (int i = 0; i < n; i++) {
                symbol[i] = byteSymbols[bytes[i] & 0xFF];
                length[i] = 1;
                prev[i] = i - 1;
                next[i] = i + 1 == n ? -1 : i + 1;
            }
            queue.clear();
            for (int i = 1; i < n; i++) {
                addPair(i - 1, i);
            }
            mergeAll();
            for (int i = 0; i != -1; i = next[i]) {
                int id = symbol[i];
                if (id >= 0 && id < tokenCount) {
                    out.add(id);
                } else {
                    appendAsciiFallback(i, out);
                }
            }
        }

        private void mergeAll() {
            while (!queue.isEmpty()) {
                long key = queue.topKey();
                queue.removeTop();
                int rank = (int) (key >>> 32);
                int left = (int) key;
                int right = next[left];
                // stale pair: one side has been merged into something else since it was queued
                if (length[left] == 0 || right == -1
                        || symbol[left] != mergeLeft[rank] || symbol[right] != mergeRight[rank]) {
                    continue;
                }
                symbol[left] = mergeResult[rank];
                length[left] += length[right];
                length[right] = 0;
                next[left] = next[right];
                if (next[right] >= 0) {
                    prev[next[right]] = left;
                }
                addPair(prev[left], left);
                addPair(left, next[left]);
            }
        }

        private void addPair(int left, int right) {
            if (left == -1 || right == -1 || symbol[left] < 0 || symbol[right] < 0) {
                return;
            }
            int rank = ranks.rank(symbol[left], symbol[right]);
            if (rank >= 0) {
                queue.push(((long) rank << 32) | left, 0);
            }
        }

        /**
         * llama.cpp's fallback for a symbol that is no token: each byte of its spelling on its own, which only
         * finds tokens for ASCII spellings; the other bytes are dropped.
         */
        private void appendAsciiFallback(int first, IntList out) {
            for (int i = first; i < first + length[first]; i++) {
                char c = chars[i];
                if (c < 128 && asciiTokens[c] >= 0) {
                    out.add(asciiTokens[c]);
                }
            }
        }
    }
}
