package io.github.infer4j.chat.jinja;

/**
 * Python's notion of whitespace and of line breaks, which decide what whitespace control, {@code strip()},
 * {@code split()} and {@code splitlines()} remove. {@link Character#isWhitespace} differs (it rejects
 * no-break spaces and accepts nothing Python does not), so prompts would change if it were used.
 */
final class PyText {
    private PyText() {
    }

    static boolean isSpace(int c) {
        return switch (c) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F,
                 0x205F, 0x3000 -> true;
            default -> c >= 0x2000 && c <= 0x200A;
        };
    }

    /** The characters {@code str.splitlines()} breaks at ({@code \r\n} counts as one break). */
    static boolean isLineBreak(int c) {
        return switch (c) {
            case '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029 -> true;
            default -> false;
        };
    }

    static boolean isAllSpace(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (!isSpace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String rstrip(String text) {
        int end = text.length();
        while (end > 0 && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
