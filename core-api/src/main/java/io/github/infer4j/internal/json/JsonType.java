package io.github.infer4j.internal.json;

import java.util.List;
import java.util.Map;

/** The kinds of JSON value; {@link #NULL} also stands for a member that is absent. */
public enum JsonType {
    OBJECT("object"),
    ARRAY("array"),
    STRING("string"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    NULL("null");

    private final String word;

    JsonType(String word) {
        this.word = word;
    }

    static JsonType of(Object value) {
        return switch (value) {
            case null -> NULL;
            case Map<?, ?> _ -> OBJECT;
            case List<?> _ -> ARRAY;
            case String _ -> STRING;
            case Boolean _ -> BOOLEAN;
            default -> NUMBER;
        };
    }

    @Override
    public String toString() {
        return word;
    }
}
