package io.github.infer4j.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's reversible byte-to-character mapping: byte-level BPE vocabularies spell every byte as a printable
 * character (0x21..0x7E, 0xA1..0xAC, 0xAE..0xFF map to themselves; the other 68 bytes to U+0100 upwards), so
 * that spaces and control bytes never appear in token strings.
 */
final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[256 + 68];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
            char c = (char) (printable ? b : next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    static char encode(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The byte {@code codePoint} stands for, or -1 when it is not part of the mapping. */
    static int decode(int codePoint) {
        return codePoint < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[codePoint] : -1;
    }
}
