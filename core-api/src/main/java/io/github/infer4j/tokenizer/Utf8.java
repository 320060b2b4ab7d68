package io.github.infer4j.tokenizer;

/** UTF-8 helpers that work on caller-owned buffers, so that encoding and streaming allocate nothing per character. */
final class Utf8 {
    private Utf8() {
    }

    /** Writes the UTF-8 form of {@code codePoint} at {@code offset} and returns the number of bytes (1 to 4). */
    static int encode(int codePoint, byte[] dst, int offset) {
        if (codePoint < 0x80) {
            dst[offset] = (byte) codePoint;
            return 1;
        }
        if (codePoint < 0x800) {
            dst[offset] = (byte) (0xC0 | (codePoint >> 6));
            dst[offset + 1] = (byte) (0x80 | (codePoint & 0x3F));
            return 2;
        }
        if (codePoint < 0x10000) {
            dst[offset] = (byte) (0xE0 | (codePoint >> 12));
            dst[offset + 1] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
            dst[offset + 2] = (byte) (0x80 | (codePoint & 0x3F));
            return 3;
        }
        dst[offset] = (byte) (0xF0 | (codePoint >> 18));
        dst[offset + 1] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
        dst[offset + 2] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
        dst[offset + 3] = (byte) (0x80 | (codePoint & 0x3F));
        return 4;
    }

    /**
     * The length of the longest prefix of {@code bytes[0, length)} that does not end inside a multi-byte sequence:
     * a trailing lead byte still waiting for its continuation bytes is held back. Malformed bytes count as complete
     * (they decode to U+FFFD) so that nothing is held back forever.
     */
    static int completePrefixLength(byte[] bytes, int length) {
        for (int k = 1; k <= Math.min(3, length); k++) {
            int b = bytes[length - k] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            int needed = b >= 0xF8 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > k ? length - k : length;
        }
        return length;
    }

    /**
     * Replaces unpaired surrogates, which have no UTF-8 form, by U+FFFD: llama.cpp decodes malformed input bytes to
     * the same character.
     */
    static String withoutLoneSurrogates(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (fixed != null) {
                    fixed.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (fixed == null) {
                    fixed = new StringBuilder(text.length()).append(text, 0, i);
                }
                fixed.append('\uFFFD');
            } else if (fixed != null) {
                fixed.append(c);
            }
        }
        return fixed == null ? text : fixed.toString();
    }
}
