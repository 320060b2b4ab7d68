package io.github.infer4j.chat.jinja;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python semantics of template values. Values are {@code null} (None), {@link Boolean}, {@link Long} (int),
 * {@link Double} (float), {@link String}, {@link List} (list and tuple alike), {@link Map} (dict, in insertion
 * order), {@link Undefined}, {@link Namespace}, {@link LoopInfo} and {@link Invocable}. Strings are measured,
 * indexed and sliced by code point, as Python does.
 */
final class Values {
    private Values() {
    }

    /** Converts a caller's Java value into a template value. */
    static Object fromJava(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case Collection<?> items -> {
                List<Object> list = new ArrayList<>(items.size());
                for (Object item : items) {
                    list.add(fromJava(item));
                }
                yield Collections.unmodifiableList(list);
            }
            case Map<?, ?> map -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    dict.put(fromJava(entry.getKey()), fromJava(entry.getValue()));
                }
                yield Collections.unmodifiableMap(dict);
            }
            case Invocable invocable -> invocable;
            default -> throw new IllegalArgumentException("a template variable cannot be a "
                    + value.getClass().getName() + "; use strings, numbers, booleans, lists and maps");
        };
    }

    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case List<?> list -> !list.isEmpty();
            case Map<?, ?> map -> !map.isEmpty();
            case Undefined ignored -> false;
            default -> true;
        };
    }

    /** Python's type name, for error messages. */
    static String typeName(Object value) {
        return switch (value) {
            case null -> "NoneType";
            case Boolean ignored -> "bool";
            case Long ignored -> "int";
            case Double ignored -> "float";
            case String ignored -> "str";
            case PyTuple ignored -> "tuple";
            case List<?> ignored -> "list";
            case Map<?, ?> ignored -> "dict";
            case Undefined ignored -> "Undefined";
            case Namespace ignored -> "Namespace";
            case LoopInfo ignored -> "LoopContext";
            default -> "function";
        };
    }

    /** How Jinja2 names the owner of a missing attribute: {@code dict object}, or {@code None}. */
    static String objectDescription(Object value) {
        return value == null ? "None" : typeName(value) + " object";
    }

    /** Python's {@code str()}, which is what {@code {{ }}} prints; undefined prints as nothing. */
    static String str(Object value) {
        return switch (value) {
            case null -> "None";
            case String s -> s;
            case Undefined ignored -> "";
            default -> repr(value);
        };
    }

    /** Python's {@code repr()}, used inside printed lists and dicts. */
    static String repr(Object value) {
        return repr(value, 0);
    }

    private static String repr(Object value, int depth) {
        checkNesting(depth);
        return switch (value) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> formatFloat(d);
            case String s -> reprString(s);
            case PyTuple tuple -> {
                StringBuilder out = new StringBuilder("(");
                for (int i = 0; i < tuple.size(); i++) {
                    out.append(i > 0 ? ", " : "").append(repr(tuple.get(i), depth + 1));
                }
                yield out.append(tuple.size() == 1 ? ",)" : ")").toString();
            }
            case List<?> list -> {
                StringBuilder out = new StringBuilder("[");
                for (int i = 0; i < list.size(); i++) {
                    out.append(i > 0 ? ", " : "").append(repr(list.get(i), depth + 1));
                }
                yield out.append(']').toString();
            }
            case Map<?, ?> map -> {
                StringBuilder out = new StringBuilder("{");
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "" : ", ").append(repr(entry.getKey(), depth + 1)).append(": ")
                            .append(repr(entry.getValue(), depth + 1));
                    first = false;
                }
                yield out.append('}').toString();
            }
            case Undefined ignored -> "Undefined";
            default -> value.toString();
        };
    }

    /** Python's float repr: the shortest digits that read back the same, in fixed notation from 1e-4 to 1e16. */
    static String formatFloat(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        String sign = (Double.doubleToRawLongBits(value) < 0) ? "-" : "";
        if (value == 0.0) {
            return sign + "0.0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = decimal.unscaledValue().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                    + Math.abs(exponent);
        }
        if (exponent < 0) {
            return sign + "0." + "0".repeat(-exponent - 1) + digits;
        }
        if (digits.length() <= exponent + 1) {
            return sign + digits + "0".repeat(exponent + 1 - digits.length()) + ".0";
        }
        return sign + digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
    }

    private static String reprString(String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        text.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (isPrintable(c)) {
                out.appendCodePoint(c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", c));
            } else if (c < 0x10000) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append(String.format("\\U%08x", c));
            }
        });
        return out.append(quote).toString();
    }

    private static boolean isPrintable(int c) {
        if (c < 0x7F) {
            return c >= 0x20;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double || value instanceof Boolean;
    }

    /**
     * Nested lists and dicts deeper than this are refused: a template can nest a list in itself in a loop, and
     * walking such a value recursively must not overflow the stack.
     */
    static final int MAX_NESTING = 500;

    static void checkNesting(int depth) {
        if (depth > MAX_NESTING) {
            throw new EvalError("lists or dicts are nested more than " + MAX_NESTING + " levels deep");
        }
    }

    /** Python's {@code ==}: numbers compare by value across int, float and bool; lists and dicts by content. */
    static boolean equal(Object a, Object b) {
        return equal(a, b, 0);
    }

    private static boolean equal(Object a, Object b, int depth) {
        checkNesting(depth);
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return toDouble(a) == toDouble(b);
            }
            return toLong(a) == toLong(b);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size() || (a instanceof PyTuple) != (b instanceof PyTuple)) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : x.entrySet()) {
                if (!y.containsKey(entry.getKey()) || !equal(entry.getValue(), y.get(entry.getKey()), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Undefined && b instanceof Undefined) {
            return true;
        }
        return a.equals(b);
    }

    /** Python's ordering for {@code < <= > >=}: numbers, strings (by code point) and lists of those. */
    static int compare(Object a, Object b, String operator) {
        return compare(a, b, operator, 0);
    }

    private static int compare(Object a, Object b, String operator, int depth) {
        checkNesting(depth);
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return Double.compare(toDouble(a), toDouble(b));
            }
            return Long.compare(toLong(a), toLong(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return compare(x.get(i), y.get(i), operator, depth + 1);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        throw new EvalError("'" + operator + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    private static int compareCodePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int cx = x.codePointAt(i);
            int cy = y.codePointAt(j);
            if (cx != cy) {
                return Integer.compare(cx, cy);
            }
            i += Character.charCount(cx);
            j += Character.charCount(cy);
        }
        return Boolean.compare(i < x.length(), j < y.length());
    }

    static long toLong(Object number) {
        return number instanceof Boolean b ? (b ? 1 : 0) : ((Number) number).longValue();
    }

    static double toDouble(Object number) {
        return number instanceof Boolean b ? (b ? 1 : 0) : ((Number) number).doubleValue();
    }

    /** Python's {@code len()}. */
    static long length(Object value) {
        return switch (value) {
            case String s -> s.codePointCount(0, s.length());
            case List<?> list -> list.size();
            case Map<?, ?> map -> map.size();
            case Undefined ignored -> 0;
            case null, default -> throw new EvalError("object of type '" + typeName(value) + "' has no len()");
        };
    }

    /** The items a for loop or filter sees: list items, dict keys, the characters of a string. */
    static List<Object> iterate(Object value) {
        return switch (value) {
            case List<?> list -> Collections.unmodifiableList(list);
            case Map<?, ?> map -> new ArrayList<>(map.keySet());
            case String s -> {
                List<Object> characters = new ArrayList<>(s.length());
                s.codePoints().forEach(c -> characters.add(Character.toString(c)));
                yield characters;
            }
            case Undefined ignored -> List.of();
            case null, default -> throw new EvalError("'" + typeName(value) + "' object is not iterable");
        };
    }

    /** Python's {@code in}: substring for strings, key for dicts, equal item for lists. */
    static boolean contains(Object container, Object item) {
        return switch (container) {
            case String s -> {
                if (!(item instanceof String part)) {
                    throw new EvalError("'in <string>' requires string as left operand, not " + typeName(item));
                }
                yield s.contains(part);
            }
            case Map<?, ?> map -> map.containsKey(hashable(item));
            case List<?> list -> {
                for (Object element : list) {
                    if (equal(element, item)) {
                        yield true;
                    }
                }
                yield false;
            }
            case Undefined ignored -> false;
            case null, default -> throw new EvalError("argument of type '" + typeName(container) + "' is not iterable");
        };
    }

    /** Python refuses lists and dicts as dict keys; refusing them here also keeps hashing shallow. */
    static Object hashable(Object key) {
        if (key instanceof List || key instanceof Map || key instanceof Undefined) {
            throw new EvalError("unhashable type: '" + typeName(key) + "'");
        }
        return key;
    }
}
