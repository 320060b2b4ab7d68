package io.github.infer4j.tokenizer;

import java.util.regex.Pattern;

/**
 * Compiles llama.cpp's pre-tokenizer regexes, kept verbatim in {@link PreTokenizer} so that they can be compared
 * with llama-vocab.cpp, into java.util.regex patterns that classify characters the way llama.cpp does:
 * <ul>
 *   <li>{@code \s} and {@code \S}: Java's are ASCII-only, llama.cpp's are the 25 Unicode White_Space code points
 *       (U+0085, U+00A0, U+2000..U+200A, U+3000, ...); they become {@code \p{IsWhite_Space}}.</li>
 *   <li>{@code \p{L}} and {@code \p{N}}: llama.cpp's tables are generated from Unicode 15.1, JDK 25 knows
 *       Unicode 16. The letters and digits assigned in Unicode 16 are "undefined" to llama.cpp (they split like
 *       punctuation), so they are taken out of Java's categories here. The lists are exactly the L and N code
 *       points that JDK 25 knows and Python's Unicode 15.1 database does not; a JDK with a newer Unicode version
 *       would need its additions listed as well.</li>
 * </ul>
 */
final class LlamaRegex {
    /** Letters (category L) assigned in Unicode 16.0, unknown to llama.cpp's Unicode 15.1 tables. */
    private static final String UNICODE16_LETTERS = "\\x{1C89}-\\x{1C8A}\\x{A7CB}-\\x{A7CD}\\x{A7DA}-\\x{A7DC}"
            + "\\x{105C0}-\\x{105F3}\\x{10D4A}-\\x{10D65}\\x{10D6F}-\\x{10D85}\\x{10EC2}-\\x{10EC4}"
            + "\\x{11380}-\\x{11389}\\x{1138B}\\x{1138E}\\x{11390}-\\x{113B5}\\x{113B7}\\x{113D1}\\x{113D3}"
            + "\\x{11BC0}-\\x{11BE0}\\x{13460}-\\x{143FA}\\x{16100}-\\x{1611D}\\x{16D40}-\\x{16D6C}\\x{18CFF}"
            + "\\x{1E5D0}-\\x{1E5ED}\\x{1E5F0}";
    /** Numbers (category N) assigned in Unicode 16.0. */
    private static final String UNICODE16_NUMBERS = "\\x{10D40}-\\x{10D49}\\x{116D0}-\\x{116E3}\\x{11BF0}-\\x{11BF9}"
            + "\\x{16130}-\\x{16139}\\x{16D70}-\\x{16D79}\\x{1CCF0}-\\x{1CCF9}\\x{1E5F1}-\\x{1E5FA}";

    private static final String LETTER = "[\\p{L}&&[^" + UNICODE16_LETTERS + "]]";
    private static final String NUMBER = "[\\p{N}&&[^" + UNICODE16_NUMBERS + "]]";
    private static final String SPACE = "\\p{IsWhite_Space}";
    private static final String NOT_SPACE = "\\P{IsWhite_Space}";

    private LlamaRegex() {
    }

    static Pattern compile(String llamaCppRegex) {
        return Pattern.compile(toJava(llamaCppRegex));
    }

    /** Rewrites the character classes of a llama.cpp regex; everything else is the same in both dialects. */
    static String toJava(String regex) {
        StringBuilder out = new StringBuilder(regex.length() * 2);
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\') {
                int end = escapeEnd(regex, i);
                out.append(translateOutsideClass(regex.substring(i, end)));
                i = end;
            } else if (c == '[') {
                i = translateClass(regex, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String translateOutsideClass(String escape) {
        return switch (escape) {
            case "\\s" -> SPACE;
            case "\\S" -> NOT_SPACE;
            case "\\p{L}" -> LETTER;
            case "\\p{N}" -> NUMBER;
            default -> escape;
        };
    }

    /**
     * Translates the class starting at {@code start} and returns the index after it. Inside a class, L and N are
     * kept whole and the Unicode 16 additions are handled for the class as a whole: a negated class gains them
     * (they are "other" to llama.cpp), a plain class loses them.
     */
    private static int translateClass(String regex, int start, StringBuilder out) {
        int i = start + 1;
        boolean negated = i < regex.length() && regex.charAt(i) == '^';
        if (negated) {
            i++;
        }
        StringBuilder members = new StringBuilder();
        boolean letters = false;
        boolean numbers = false;
        while (i < regex.length() && regex.charAt(i) != ']') {
            if (regex.charAt(i) == '\\') {
                int end = escapeEnd(regex, i);
                String escape = regex.substring(i, end);
                switch (escape) {
                    case "\\s" -> members.append(SPACE);
                    case "\\S" -> members.append(NOT_SPACE);
                    case "\\p{L}" -> {
                        letters = true;
                        members.append(escape);
                    }
                    case "\\p{N}" -> {
                        numbers = true;
                        members.append(escape);
                    }
                    default -> members.append(escape);
                }
                i = end;
            } else {
                members.append(regex.charAt(i++));
            }
        }
        if (i == regex.length()) {
            throw new IllegalArgumentException("unterminated character class in " + regex);
        }
        String additions = (letters ? UNICODE16_LETTERS : "") + (numbers ? UNICODE16_NUMBERS : "");
        if (additions.isEmpty()) {
            out.append(negated ? "[^" : "[").append(members).append(']');
        } else if (negated) {
            out.append("[[^").append(members).append("][").append(additions).append("]]");
        } else {
            out.append("[[").append(members).append("]&&[^").append(additions).append("]]");
        }
        return i + 1;
    }

    private static int escapeEnd(String regex, int backslash) {
        int next = backslash + 1;
        if (next + 1 < regex.length() && (regex.charAt(next) == 'p' || regex.charAt(next) == 'P')
                && regex.charAt(next + 1) == '{') {
            int close = regex.indexOf('}', next);
            if (close < 0) {
                throw new IllegalArgumentException("unterminated property in " + regex);
            }
            return close + 1;
        }
        return Math.min(regex.length(), next + 1);
    }
}
