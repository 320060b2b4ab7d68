package io.github.infer4j.chat.jinja;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Jinja2's built-in tests ({@code x is defined}, {@code x is string}, {@code x is equalto 3}, ...). */
final class Tests {
    private interface Test {
        boolean test(Object value, Args args);
    }

    private static final Map<String, Test> TESTS = new HashMap<>();

    static {
        TESTS.put("defined", (value, args) -> !(value instanceof Undefined));
        TESTS.put("undefined", (value, args) -> value instanceof Undefined);
        TESTS.put("none", (value, args) -> value == null);
        TESTS.put("boolean", (value, args) -> value instanceof Boolean);
        TESTS.put("true", (value, args) -> Boolean.TRUE.equals(value));
        TESTS.put("false", (value, args) -> Boolean.FALSE.equals(value));
        TESTS.put("integer", (value, args) -> value instanceof Long);
        TESTS.put("float", (value, args) -> value instanceof Double);
        TESTS.put("number", (value, args) -> Values.isNumber(value));
        TESTS.put("string", (value, args) -> value instanceof String);
        TESTS.put("mapping", (value, args) -> value instanceof Map);
        // Python can iterate an Undefined (it is empty), so Jinja2 calls it iterable and a sequence.
        TESTS.put("iterable", (value, args) -> value instanceof String || value instanceof List || value instanceof Map
                || value instanceof Undefined);
        TESTS.put("sequence", (value, args) -> value instanceof String || value instanceof List || value instanceof Map
                || value instanceof Undefined);
        TESTS.put("callable", (value, args) -> value instanceof Invocable);
        TESTS.put("sameas", (value, args) -> sameAs(value, args.required(0, "other", "sameas")));
        Test equal = (value, args) -> Values.equal(value, args.required(0, "other", "equalto"));
        TESTS.put("equalto", equal);
        TESTS.put("eq", equal);
        TESTS.put("==", equal);
        Test notEqual = (value, args) -> !Values.equal(value, args.required(0, "other", "ne"));
        TESTS.put("ne", notEqual);
        TESTS.put("!=", notEqual);
        putOrdering("<", "lt", "lessthan");
        putOrdering("<=", "le");
        putOrdering(">", "gt", "greaterthan");
        putOrdering(">=", "ge");
        TESTS.put("in", (value, args) -> Values.contains(args.required(0, "seq", "in"), value));
        TESTS.put("odd", (value, args) -> Math.floorMod(integer(value, "odd"), 2) == 1);
        TESTS.put("even", (value, args) -> Math.floorMod(integer(value, "even"), 2) == 0);
        TESTS.put("divisibleby", (value, args) -> {
            long divisor = integer(args.required(0, "num", "divisibleby"), "divisibleby");
            if (divisor == 0) {
                throw new EvalError("division by zero");
            }
            return integer(value, "divisibleby") % divisor == 0;
        });
        TESTS.put("lower", (value, args) -> PyStrings.isCase(Values.str(value), false));
        TESTS.put("upper", (value, args) -> PyStrings.isCase(Values.str(value), true));
    }

    private Tests() {
    }

    private static void putOrdering(String operator, String... names) {
        Test test = (value, args) -> {
            int order = Values.compare(value, args.required(0, "other", names[0]), operator);
            return switch (operator) {
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                default -> order >= 0;
            };
        };
        TESTS.put(operator, test);
        for (String name : names) {
            TESTS.put(name, test);
        }
    }

    static boolean exists(String name) {
        return TESTS.containsKey(name);
    }

    static boolean apply(String name, Object value, Args args) {
        return TESTS.get(name).test(value, args);
    }

    private static long integer(Object value, String test) {
        return Values.toLong(Methods.integer(value, test));
    }

    /** Python's {@code is}: the same object; equal small values of the immutable kinds count as the same. */
    private static boolean sameAs(Object a, Object b) {
        if (a == null || b == null || a instanceof Boolean || a instanceof Undefined) {
            return a == b || a instanceof Boolean && a.equals(b);
        }
        if (a instanceof Long || a instanceof String) {
            return a.equals(b);
        }
        return a == b;
    }
}
