package io.github.infer4j.internal.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive descent over the text. Objects become unmodifiable insertion-ordered maps, arrays unmodifiable lists,
 * JSON null becomes Java {@code null}. Positions are tracked as char offsets and turned into line and column only
 * when an error is reported.
 */
final class JsonParser {
    /** Integers with at most this many digits always fit in a long. */
    private static final int SAFE_LONG_DIGITS = 18;

    private final String text;
    private final String source;
    private int pos;
    private int depth;

    JsonParser(String text, String source) {
        this.text = text;
        this.source = source;
    }

    boolean startsWithObject() {
        skipWhitespace();
        return pos < text.length() && text.charAt(pos) == '{';
    }

    /** The whole text as one value; anything but whitespace after it is an error. */
    Object document() {
        Object value = value();
        skipWhitespace();
        if (pos < text.length()) {
            throw error("unexpected " + describe(text.charAt(pos)) + " after the end of the document");
        }
        return value;
    }

    private Object value() {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end of the document, expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected " + describe(c) + ", expected a value");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error(pos >= text.length() ? "unexpected end of the document inside an object"
                        : "expected a member name in double quotes, found " + describe(text.charAt(pos)));
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':', "after the member name \"" + key + "\"");
            Object value = value();
            if (members.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate member name \"" + key + "\"");
            }
            members.put(key, value);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return Collections.unmodifiableMap(members);
            }
            if (c != ',') {
                pos--;
                throw error(pos >= text.length() ? "unexpected end of the document inside an object"
                        : "expected ',' or '}' after a member, found " + describe(c));
            }
        }
    }

    private List<Object> array() {
        enter();
        pos++; // '['
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            elements.add(value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return Collections.unmodifiableList(elements);
            }
            if (c != ',') {
                pos--;
                throw error(pos >= text.length() ? "unexpected end of the document inside an array"
                        : "expected ',' or ']' after an element, found " + describe(c));
            }
        }
    }

    private void enter() {
        if (++depth > Json.MAX_DEPTH) {
            throw error("objects and arrays are nested more than " + Json.MAX_DEPTH + " deep");
        }
    }

    private String string() {
        int start = ++pos; // after the opening quote
        // Fast path: most strings have no escapes and can be cut out of the text as they are.
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return text.substring(start, i);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character U+" + String.format("%04X", (int) c)
                        + " must be escaped inside a string");
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos + 1);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append(hex4(pos + 2));
                    pos += 4;
                }
                default -> throw error("invalid escape " + describe(e) + " in a string");
            }
            pos += 2;
        }
    }

    private char hex4(int at) {
        if (at + 4 > text.length()) {
            throw error("unterminated \\u escape");
        }
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = hexDigit(text.charAt(i));
            if (digit < 0) {
                pos = i;
                throw error("\\u must be followed by four hexadecimal digits, found " + describe(text.charAt(i)));
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("invalid number: expected a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!digits()) {
                throw error("invalid number: expected a digit after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("invalid number: expected a digit in the exponent");
            }
        }
        String literal = text.substring(start, pos);
        if (integral) {
            int digitCount = literal.length() - (literal.charAt(0) == '-' ? 1 : 0);
            if (digitCount <= SAFE_LONG_DIGITS) {
                return Long.parseLong(literal);
            }
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooLarge) {
                // Kept as a double, which readers that want an integer then report as out of range.
            }
        }
        double value = Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            pos = start;
            throw error("number " + literal + " is too large");
        }
        return value;
    }

    /** Consumes one or more ASCII digits; false when there is none. */
    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describe(text.charAt(pos)) + ", expected a value");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c, String where) {
        if (peek() != c) {
            throw error(pos >= text.length() ? "unexpected end of the document, expected '" + c + "' " + where
                    : "expected '" + c + "' " + where + ", found " + describe(text.charAt(pos)));
        }
        pos++;
    }

    /** The current char, or NUL at the end (NUL cannot start any token, so callers treat it as a mismatch). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private JsonException error(String problem) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(pos, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new JsonException(source, "line " + line + ", column " + (end - lineStart + 1) + ": " + problem);
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
