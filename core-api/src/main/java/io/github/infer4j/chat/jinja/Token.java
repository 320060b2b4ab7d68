package io.github.infer4j.chat.jinja;

/**
 * One lexical unit of a template. {@code text} is the source spelling (operators, names) or the literal text
 * (data); {@code value} holds the parsed literal of strings and numbers.
 */
record Token(Kind kind, String text, Object value, int line, int column) {

    enum Kind { DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, END }

    boolean is(Kind expected, String spelling) {
        return kind == expected && text.equals(spelling);
    }

    boolean isName(String name) {
        return is(Kind.NAME, name);
    }

    boolean isOperator(String operator) {
        return is(Kind.OPERATOR, operator);
    }

    /** How error messages refer to this token. */
    String describe() {
        return switch (kind) {
            case END -> "end of template";
            case DATA -> "template text";
            case VARIABLE_END, BLOCK_END, VARIABLE_BEGIN, BLOCK_BEGIN, OPERATOR, NAME -> "'" + text + "'";
            case STRING -> "string " + text;
            case INTEGER, FLOAT -> "number " + text;
        };
    }
}
