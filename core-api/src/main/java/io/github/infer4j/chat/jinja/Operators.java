package io.github.infer4j.chat.jinja;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Python's arithmetic operators on template values. Integers are 64-bit: a result that Python would make larger
 * is an error rather than a silently wrong number. Strings and lists built by {@code +} and {@code *} are capped
 * so that a template cannot exhaust memory by doubling a string in a loop.
 */
final class Operators {
    static final int MAX_LENGTH = 1 << 24;

    private Operators() {
    }

    static Object binary(String operator, Object a, Object b) {
        if (a instanceof Undefined undefined) {
            throw undefined.error();
        }
        if (b instanceof Undefined undefined) {
            throw undefined.error();
        }
        try {
            Object result = switch (operator) {
                case "+" -> add(a, b);
                case "-" -> arithmetic(operator, a, b);
                case "*" -> multiply(a, b);
                case "/" -> {
                    requireNumbers(operator, a, b);
                    if (Values.toDouble(b) == 0) {
                        throw new EvalError("division by zero");
                    }
                    yield Values.toDouble(a) / Values.toDouble(b);
                }
                case "//", "%" -> {
                    if (operator.equals("%") && a instanceof String format) {
                        yield format(format, b);
                    }
                    yield arithmetic(operator, a, b);
                }
                case "**" -> power(a, b);
                default -> throw new IllegalStateException("no operator " + operator);
            };
            return result;
        } catch (ArithmeticException e) {
            throw new EvalError("integer overflow in '" + operator + "'");
        }
    }

    static Object unary(String operator, Object operand) {
        if (operand instanceof Undefined undefined) {
            throw undefined.error();
        }
        if (!Values.isNumber(operand)) {
            throw new EvalError("bad operand type for unary " + operator + ": '" + Values.typeName(operand) + "'");
        }
        if (operator.equals("+")) {
            return operand instanceof Boolean ? Values.toLong(operand) : operand;
        }
        return operand instanceof Double d ? (Object) (-d) : (Object) Math.negateExact(Values.toLong(operand));
    }

    private static Object add(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            checkLength((long) x.length() + y.length());
            return x + y;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            checkLength((long) x.size() + y.size());
            List<Object> joined = new ArrayList<>(x);
            joined.addAll(y);
            return joined;
        }
        return arithmetic("+", a, b);
    }

    private static Object multiply(Object a, Object b) {
        if (a instanceof String || a instanceof List) {
            return repeat(a, b);
        }
        if (b instanceof String || b instanceof List) {
            return repeat(b, a);
        }
        return arithmetic("*", a, b);
    }

    private static Object repeat(Object sequence, Object times) {
        if (!(times instanceof Long || times instanceof Boolean)) {
            throw new EvalError("can't multiply sequence by non-int of type '" + Values.typeName(times) + "'");
        }
        long count = Math.max(0, Values.toLong(times));
        if (sequence instanceof String text) {
            checkLength(count * text.length());
            return text.repeat((int) count);
        }
        List<?> list = (List<?>) sequence;
        checkLength(count * list.size());
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            out.addAll(list);
        }
        return out;
    }

    private static void checkLength(long length) {
        if (length > MAX_LENGTH) {
            throw new EvalError("the result would be longer than " + MAX_LENGTH + " items");
        }
    }

    private static void requireNumbers(String operator, Object a, Object b) {
        if (!Values.isNumber(a) || !Values.isNumber(b)) {
            throw new EvalError("unsupported operand type(s) for " + operator + ": '" + Values.typeName(a) + "' and '"
                    + Values.typeName(b) + "'");
        }
    }

    private static Object arithmetic(String operator, Object a, Object b) {
        requireNumbers(operator, a, b);
        if (a instanceof Double || b instanceof Double) {
            double x = Values.toDouble(a);
            double y = Values.toDouble(b);
            return switch (operator) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "//" -> {
                    requireNonZero(y);
                    yield Math.floor(x / y);
                }
                default -> {
                    requireNonZero(y);
                    double remainder = x % y;
                    yield remainder != 0 && (remainder < 0) != (y < 0) ? remainder + y : remainder;
                }
            };
        }
        long x = Values.toLong(a);
        long y = Values.toLong(b);
        return switch (operator) {
            case "+" -> Math.addExact(x, y);
            case "-" -> Math.subtractExact(x, y);
            case "*" -> Math.multiplyExact(x, y);
            case "//" -> {
                requireNonZero(y);
                yield Math.floorDiv(x, y);
            }
            default -> {
                requireNonZero(y);
                yield Math.floorMod(x, y);
            }
        };
    }

    private static void requireNonZero(double divisor) {
        if (divisor == 0) {
            throw new EvalError("division by zero");
        }
    }

    private static Object power(Object a, Object b) {
        requireNumbers("**", a, b);
        if (a instanceof Double || b instanceof Double || Values.toLong(b) < 0) {
            return Math.pow(Values.toDouble(a), Values.toDouble(b));
        }
        long base = Values.toLong(a);
        long result = 1;
        for (long exponent = Values.toLong(b); exponent > 0; exponent >>= 1) {
            if ((exponent & 1) == 1) {
                result = Math.multiplyExact(result, base);
            }
            if (exponent > 1) {
                base = Math.multiplyExact(base, base);
            }
        }
        return result;
    }

    /** Python's {@code format % values} for the conversions templates use: {@code %s}, {@code %d}, {@code %r}. */
    private static String format(String format, Object values) {
        List<?> arguments = values instanceof List<?> list ? list : Collections.singletonList(values);
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i >= format.length()) {
                throw new EvalError("incomplete format");
            }
            char conversion = format.charAt(i);
            if (conversion == '%') {
                out.append('%');
                continue;
            }
            if (next >= arguments.size()) {
                throw new EvalError("not enough arguments for format string");
            }
            Object argument = arguments.get(next++);
            switch (conversion) {
                case 's' -> out.append(Values.str(argument));
                case 'r' -> out.append(Values.repr(argument));
                case 'd', 'i' -> {
                    if (!Values.isNumber(argument)) {
                        throw new EvalError("%" + conversion + " format: a number is required, not "
                                + Values.typeName(argument));
                    }
                    out.append(argument instanceof Double d ? (long) (double) d : Values.toLong(argument));
                }
                default -> throw new EvalError("unsupported format character '" + conversion + "'");
            }
        }
        if (next < arguments.size()) {
            throw new EvalError("not all arguments converted during string formatting");
        }
        return out.toString();
    }
}
