package io.github.infer4j.chat;

/** Text helpers that behave exactly like the C++ code whose output the templates must reproduce. */
final class CText {
    private CText() {
    }

    /**
     * Trims the six ASCII characters C's {@code isspace} accepts. {@link String#strip()} would also remove
     * Unicode spaces and {@link String#trim()} every control character, either of which would change prompts.
     */
    static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
