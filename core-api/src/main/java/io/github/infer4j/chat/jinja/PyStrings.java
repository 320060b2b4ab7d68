package io.github.infer4j.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/** Python's string operations, character for character, since chat prompts must match Python's output exactly. */
final class PyStrings {
    private PyStrings() {
    }

    /** Python's {@code strip}/{@code lstrip}/{@code rstrip}: whitespace when {@code chars} is null, else those characters. */
    static String strip(String text, String chars, boolean left, boolean right) {
        int start = 0;
        int end = text.length();
        while (left && start < end && strippable(text.codePointAt(start), chars)) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (right && end > start && strippable(text.codePointBefore(end), chars)) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    private static boolean strippable(int c, String chars) {
        return chars == null ? PyText.isSpace(c) : chars.indexOf(Character.toString(c)) >= 0;
    }

    /** Python's {@code split(sep, maxsplit)}; a null separator splits at runs of whitespace and drops empty parts. */
    static List<Object> split(String text, String separator, long maxSplit) {
        List<Object> parts = new ArrayList<>();
        long limit = maxSplit < 0 ? Long.MAX_VALUE : maxSplit;
        if (separator == null) {
            int i = 0;
            while (true) {
                while (i < text.length() && PyText.isSpace(text.charAt(i))) {
                    i++;
                }
                if (i >= text.length()) {
                    break;
                }
                if (parts.size() == limit) {
                    parts.add(text.substring(i));
                    break;
                }
                int start = i;
                while (i < text.length() && !PyText.isSpace(text.charAt(i))) {
                    i++;
                }
                parts.add(text.substring(start, i));
            }
            return parts;
        }
        requireSeparator(separator);
        int start = 0;
        int found;
        while (parts.size() < limit && (found = text.indexOf(separator, start)) >= 0) {
            parts.add(text.substring(start, found));
            start = found + separator.length();
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** Python's {@code rsplit(sep, maxsplit)}: like {@link #split} but the splits are counted from the right. */
    static List<Object> rsplit(String text, String separator, long maxSplit) {
        List<Object> parts = new ArrayList<>();
        long limit = maxSplit < 0 ? Long.MAX_VALUE : maxSplit;
        if (separator == null) {
            int i = text.length();
            while (true) {
                while (i > 0 && PyText.isSpace(text.charAt(i - 1))) {
                    i--;
                }
                if (i == 0) {
                    break;
                }
                if (parts.size() == limit) {
                    parts.add(text.substring(0, i));
                    break;
                }
                int end = i;
                while (i > 0 && !PyText.isSpace(text.charAt(i - 1))) {
                    i--;
                }
                parts.add(text.substring(i, end));
            }
        } else {
            requireSeparator(separator);
            int end = text.length();
            int found;
            while (parts.size() < limit && end >= separator.length()
                    && (found = text.lastIndexOf(separator, end - separator.length())) >= 0) {
                parts.add(text.substring(found + separator.length(), end));
                end = found;
            }
            parts.add(text.substring(0, end));
        }
        return parts.reversed();
    }

    private static void requireSeparator(String separator) {
        if (separator.isEmpty()) {
            throw new EvalError("empty separator");
        }
    }

    /** Python's {@code splitlines()}: breaks at every line-break character, {@code \r\n} counting once. */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (PyText.isLineBreak(c)) {
                lines.add(text.substring(start, i));
                i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    static String upper(String text) {
        return text.toUpperCase(Locale.ROOT);
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** Python's {@code capitalize()}: the first character in title case, the rest lower case. */
    static String capitalize(String text) {
        if (text.isEmpty()) {
            return text;
        }
        int first = text.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(lower(text.substring(Character.charCount(first)))).toString();
    }

    /** Python's {@code str.title()}: a cased character after an uncased one starts a word. */
    static String title(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean previousCased = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            out.appendCodePoint(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            previousCased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /**
     * Jinja's {@code title} filter, which differs from {@code str.title()}: words start after spaces, hyphens and
     * opening brackets, and each word is upper-cased at its first character and lower-cased after it.
     */
    static String titleFilter(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean wordStart = true;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean separator = PyText.isSpace(c) || c == '-' || c == '(' || c == '{' || c == '[' || c == '<';
            if (separator) {
                out.appendCodePoint(c);
                wordStart = true;
            } else {
                out.appendCodePoint(wordStart ? Character.toUpperCase(c) : Character.toLowerCase(c));
                wordStart = false;
            }
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /** Whether every character satisfies {@code test} and there is at least one (Python's {@code isdigit} family). */
    static boolean all(String text, IntPredicate test) {
        return !text.isEmpty() && text.codePoints().allMatch(test);
    }

    /** Python's {@code islower()}/{@code isupper()}: some cased character, and none of the other case. */
    static boolean isCase(String text, boolean upper) {
        boolean cased = false;
        for (int c : text.codePoints().toArray()) {
            if (upper ? Character.isLowerCase(c) || Character.isTitleCase(c) : Character.isUpperCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= upper ? Character.isUpperCase(c) : Character.isLowerCase(c);
        }
        return cased;
    }

    /** The code points from {@code start} by {@code step} up to {@code stop} (exclusive), as Python's slices pick them. */
    static String slice(int[] codePoints, long start, long stop, long step) {
        StringBuilder out = new StringBuilder();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.appendCodePoint(codePoints[(int) i]);
        }
        return out.toString();
    }
}
