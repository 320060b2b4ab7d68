package io.github.infer4j.internal.json;

import java.util.List;
import java.util.Map;

/**
 * What objects and arrays share: the document they come from, their path in it, and the conversions of member
 * values with errors that name the member's path. A member is a key (String) of an object or an index (Integer) of
 * an array; its path is only built when an error is reported.
 */
abstract sealed class JsonContainer permits JsonObject, JsonArray {
    private final String source;
    private final String path;

    JsonContainer(String source, String path) {
        this.source = source;
        this.path = path;
    }

    /** The document, usually a file name. */
    public final String source() {
        return source;
    }

    /** Where this value sits in the document, e.g. {@code model.vocab} or {@code added_tokens[3]}; empty at the top. */
    public final String path() {
        return path;
    }

    final String pathOf(Object member) {
        if (member instanceof Integer index) {
            return path + "[" + index + "]";
        }
        return path.isEmpty() ? (String) member : path + "." + member;
    }

    final JsonException invalidMember(Object member, String problem) {
        return new JsonException(source, pathOf(member) + ": " + problem);
    }

    final String string(Object value, Object member) {
        if (value instanceof String s) {
            return s;
        }
        throw wrongType(member, "a string", value);
    }

    final long longValue(Object value, Object member) {
        if (value instanceof Long l) {
            return l;
        }
        // Writers such as Python's json module may print an integer-valued float ("2.0"); accept it when exact.
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return d.longValue();
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            throw invalidMember(member, "expected an integer that fits in 64 bits, found " + d);
        }
        throw wrongType(member, "an integer", value);
    }

    final int intValue(Object value, Object member) {
        long l = longValue(value, member);
        if (l != (int) l) {
            throw invalidMember(member, "expected an integer that fits in 32 bits, found " + l);
        }
        return (int) l;
    }

    final double doubleValue(Object value, Object member) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(member, "a number", value);
    }

    final boolean booleanValue(Object value, Object member) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrongType(member, "true or false", value);
    }

    @SuppressWarnings("unchecked")
    final JsonObject object(Object value, Object member) {
        if (value instanceof Map<?, ?> m) {
            return new JsonObject((Map<String, Object>) m, source, pathOf(member));
        }
        throw wrongType(member, "an object", value);
    }

    @SuppressWarnings("unchecked")
    final JsonArray array(Object value, Object member) {
        if (value instanceof List<?> l) {
            return new JsonArray((List<Object>) l, source, pathOf(member));
        }
        throw wrongType(member, "an array", value);
    }

    private JsonException wrongType(Object member, String expected, Object value) {
        String found = switch (JsonType.of(value)) {
            case NUMBER, BOOLEAN -> JsonType.of(value) + " " + value;
            case NULL -> absent(member) ? "nothing (the member is missing)" : "null";
            default -> JsonType.of(value).toString();
        };
        return invalidMember(member, "expected " + expected + ", found " + found);
    }

    /** Whether {@code member} is not there at all, as opposed to present with the value null. */
    abstract boolean absent(Object member);
}
