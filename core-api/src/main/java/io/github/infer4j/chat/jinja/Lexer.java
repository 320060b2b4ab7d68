package io.github.infer4j.chat.jinja;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a template into text and tag tokens with the whitespace rules Hugging Face renders chat templates with:
 * Jinja2 with {@code trim_blocks=True} (the newline right after a block or comment tag is dropped) and
 * {@code lstrip_blocks=True} (spaces and tabs between the start of a line and a block or comment tag are
 * dropped), plus the {@code -} (strip all whitespace on that side) and {@code +} (keep it) markers. Like Jinja2 it
 * turns every line break into {@code \n} and drops one trailing newline of the template.
 */
final class Lexer {
    private static final String[] OPERATORS = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[",
            "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"};

    private final String source;
    private final int[] lineStarts;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private Lexer(String source) {
        this.source = source;
        this.lineStarts = lineStarts(source);
    }

    static List<Token> tokenize(String template) {
        Lexer lexer = new Lexer(normalizeNewlines(template));
        lexer.run();
        return lexer.tokens;
    }

    private static String normalizeNewlines(String template) {
        String text = template.replace("\r\n", "\n").replace('\r', '\n');
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        return Arrays.copyOf(starts, count);
    }

    private void run() {
        boolean lineStarting = true;
        while (pos < source.length()) {
            int tagStart = nextTagStart(pos);
            if (tagStart < 0) {
                addData(source.substring(pos), pos);
                pos = source.length();
                break;
            }
            char kind = source.charAt(tagStart + 1);
            int inner = tagStart + 2;
            char sign = inner < source.length() && (source.charAt(inner) == '-' || source.charAt(inner) == '+')
                    ? source.charAt(inner) : 0;
            if (sign != 0) {
                inner++;
            }
            addData(stripBeforeTag(source.substring(pos, tagStart), kind, sign, lineStarting), pos);
            pos = inner;
            char endSign = kind == '#' ? skipComment(tagStart) : lexTag(kind, tagStart);
            stripAfterTag(kind, endSign);
            lineStarting = source.charAt(pos - 1) == '\n';
        }
        tokens.add(new Token(Token.Kind.END, "", null, line(source.length()), column(source.length())));
    }

    private int nextTagStart(int from) {
        int i = source.indexOf('{', from);
        while (i >= 0 && i + 1 < source.length()) {
            char next = source.charAt(i + 1);
            if (next == '{' || next == '%' || next == '#') {
                return i;
            }
            i = source.indexOf('{', i + 1);
        }
        return -1;
    }

    /** {@code -} strips every space before the tag; lstrip_blocks strips an indentation before block and comment tags. */
    private static String stripBeforeTag(String text, char kind, char sign, boolean lineStarting) {
        if (sign == '-') {
            return PyText.rstrip(text);
        }
        if (sign == '+' || kind == '{') {
            return text;
        }
        int lineStart = text.lastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting) && lineStart < text.length() && PyText.isAllSpace(text, lineStart)) {
            return text.substring(0, lineStart);
        }
        return text;
    }

    private void stripAfterTag(char kind, char endSign) {
        if (endSign == '-') {
            while (pos < source.length() && PyText.isSpace(source.charAt(pos))) {
                pos++;
            }
        } else if (endSign != '+' && kind != '{' && pos < source.length() && source.charAt(pos) == '\n') {
            pos++;
        }
    }

    private void addData(String text, int offset) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Token.Kind.DATA, text, null, line(offset), column(offset)));
        }
    }

    private char skipComment(int tagStart) {
        int end = source.indexOf("#}", pos);
        if (end < 0) {
            throw error(tagStart, "the comment opened here is never closed with '#}'");
        }
        char sign = end - 1 >= pos && (source.charAt(end - 1) == '-' || source.charAt(end - 1) == '+')
                ? source.charAt(end - 1) : 0;
        pos = end + 2;
        return sign;
    }

    /** Lexes the expression tokens of a {@code {{ }}} or {@code {% %}} tag and returns the sign of its end marker. */
    private char lexTag(char kind, int tagStart) {
        boolean variable = kind == '{';
        String end = variable ? "}}" : "%}";
        tokens.add(new Token(variable ? Token.Kind.VARIABLE_BEGIN : Token.Kind.BLOCK_BEGIN,
                variable ? "{{" : "{%", null, line(tagStart), column(tagStart)));
        int depth = 0;
        while (true) {
            while (pos < source.length() && PyText.isSpace(source.charAt(pos))) {
                pos++;
            }
            if (pos >= source.length()) {
                throw error(tagStart, "the tag opened here is never closed with '" + end + "'");
            }
            if (depth == 0) {
                char sign = source.charAt(pos);
                boolean signed = (sign == '-' || sign == '+' && !variable) && source.startsWith(end, pos + 1);
                if (signed || source.startsWith(end, pos)) {
                    tokens.add(new Token(variable ? Token.Kind.VARIABLE_END : Token.Kind.BLOCK_END, end, null,
                            line(pos), column(pos)));
                    pos += signed ? 3 : 2;
                    return signed ? sign : 0;
                }
            }
            Token token = nextExpressionToken();
            tokens.add(token);
            if (token.kind() == Token.Kind.OPERATOR) {
                switch (token.text()) {
                    case "(", "[", "{" -> depth++;
                    case ")", "]", "}" -> depth = Math.max(0, depth - 1);
                    default -> { }
                }
            }
        }
    }

    private Token nextExpressionToken() {
        int start = pos;
        char c = source.charAt(pos);
        if (c == '\'' || c == '"') {
            return stringToken(start, c);
        }
        if (c >= '0' && c <= '9') {
            return numberToken(start);
        }
        if (Character.isJavaIdentifierStart(c) && c != '$') {
            while (pos < source.length() && Character.isJavaIdentifierPart(source.charAt(pos))
                    && source.charAt(pos) != '$') {
                pos++;
            }
            return new Token(Token.Kind.NAME, source.substring(start, pos), null, line(start), column(start));
        }
        for (String operator : OPERATORS) {
            if (source.startsWith(operator, pos)) {
                pos += operator.length();
                return new Token(Token.Kind.OPERATOR, operator, null, line(start), column(start));
            }
        }
        throw error(start, "unexpected character '" + c + "'");
    }

    private Token stringToken(int start, char quote) {
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= source.length()) {
                throw error(start, "the string starting here is never closed with " + quote);
            }
            char c = source.charAt(pos);
            if (c == quote) {
                pos++;
                return new Token(Token.Kind.STRING, source.substring(start, pos), value.toString(), line(start),
                        column(start));
            }
            if (c == '\\' && pos + 1 < source.length()) {
                pos = unescape(pos + 1, value);
            } else {
                value.append(c);
                pos++;
            }
        }
    }

    /** Python's string escapes (Jinja2 decodes literals with {@code unicode-escape}); unknown ones stay as written. */
    private int unescape(int at, StringBuilder out) {
        char c = source.charAt(at);
        switch (c) {
            case '\n' -> { }
            case '\\', '\'', '"' -> out.append(c);
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000B');
            case 'x' -> {
                return hexEscape(at, 2, out);
            }
            case 'u' -> {
                return hexEscape(at, 4, out);
            }
            case 'U' -> {
                return hexEscape(at, 8, out);
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int end = at;
                    int value = 0;
                    while (end < source.length() && end < at + 3 && source.charAt(end) >= '0' && source.charAt(end) <= '7') {
                        value = value * 8 + source.charAt(end) - '0';
                        end++;
                    }
                    out.append((char) value);
                    return end;
                }
                out.append('\\').append(c);
            }
        }
        return at + 1;
    }

    private int hexEscape(int at, int digits, StringBuilder out) {
        int end = at + 1 + digits;
        int value = 0;
        for (int i = at + 1; i < end; i++) {
            int digit = i < source.length() ? Character.digit(source.charAt(i), 16) : -1;
            if (digit < 0) {
                throw error(at - 1, "truncated \\" + source.charAt(at) + " escape: it needs " + digits + " hex digits");
            }
            value = value * 16 + digit;
        }
        if (!Character.isValidCodePoint(value)) {
            throw error(at - 1, "the escape \\" + source.substring(at, end) + " is not a valid character");
        }
        out.appendCodePoint(value);
        return end;
    }

    private Token numberToken(int start) {
        boolean afterDot = start > 0 && source.charAt(start - 1) == '.';
        skipDigits();
        boolean isFloat = false;
        if (!afterDot && pos + 1 < source.length() && source.charAt(pos) == '.' && isDigit(pos + 1)) {
            pos++;
            skipDigits();
            isFloat = true;
        }
        if (!afterDot && pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < source.length() && (source.charAt(pos) == '+' || source.charAt(pos) == '-')) {
                pos++;
            }
            if (isDigit(pos)) {
                skipDigits();
                isFloat = true;
            } else {
                pos = mark;
            }
        }
        String text = source.substring(start, pos);
        String digits = text.replace("_", "");
        try {
            return isFloat
                    ? new Token(Token.Kind.FLOAT, text, Double.parseDouble(digits), line(start), column(start))
                    : new Token(Token.Kind.INTEGER, text, Long.parseLong(digits), line(start), column(start));
        } catch (NumberFormatException e) {
            throw error(start, "the number " + text + " is out of range");
        }
    }

    private boolean isDigit(int at) {
        return at < source.length() && source.charAt(at) >= '0' && source.charAt(at) <= '9';
    }

    private void skipDigits() {
        while (isDigit(pos) || pos < source.length() && source.charAt(pos) == '_' && isDigit(pos + 1)) {
            pos++;
        }
    }

    private int line(int offset) {
        int index = Arrays.binarySearch(lineStarts, offset);
        return (index >= 0 ? index : -index - 2) + 1;
    }

    private int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    private TemplateSyntaxException error(int offset, String what) {
        return new TemplateSyntaxException("line " + line(offset) + ", column " + column(offset) + ": " + what);
    }
}
