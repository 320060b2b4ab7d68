package io.github.infer4j.tokenizer;

/**
 * llama.cpp's clean_up_tokenization_spaces for decoded byte-level BPE text, three passes in place: drop the space
 * before {@code ? ! . ,}; turn {@code " ' "} into {@code "'"}; drop the space before {@code 's 'm 're 've}. The
 * passes keep llama.cpp's quirks (each reads the unmodified byte before the current one, the second pass blanks the
 * byte after a stripped apostrophe) so that the output is byte for byte the same.
 */
final class SpaceCleaner {
    private SpaceCleaner() {
    }

    /** Cleans {@code text} in place and returns the new length. */
    static int clean(byte[] text) {
        int length = dropSpaceBeforePunctuation(text, text.length);
        length = collapseQuotedApostrophe(text, length);
        return dropSpaceBeforeContraction(text, length);
    }

    private static int dropSpaceBeforePunctuation(byte[] text, int length) {
        int total = length > 0 ? 1 : 0;
        for (int i = 1; i < length; i++) {
            byte x = text[i];
            if (text[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
                total--;
            }
            text[total++] = x;
        }
        return total;
    }

    private static int collapseQuotedApostrophe(byte[] text, int length) {
        int total = length > 0 ? 1 : 0;
        for (int i = 1; i < length; i++) {
            byte x = text[i];
            if (x == '\'' && i + 1 < length && text[i - 1] == ' ' && text[i + 1] == ' ') {
                total--;
                text[++i] = 0;
            }
            text[total++] = x;
        }
        return total;
    }

    private static int dropSpaceBeforeContraction(byte[] text, int length) {
        int total = length > 0 ? 1 : 0;
        for (int i = 1; i < length; i++) {
            byte x = text[i];
            if (text[i - 1] == ' ' && x == '\'' && i + 1 < length) {
                byte x1 = text[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    total--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < length) {
                    byte x2 = text[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) {
                        total--;
                    }
                }
            }
            text[total++] = x;
        }
        return total;
    }
}
