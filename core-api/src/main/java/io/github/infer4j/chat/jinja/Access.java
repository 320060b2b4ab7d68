package io.github.infer4j.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jinja2's lookups. {@code obj.name} tries the attribute (a method such as {@code items} or {@code strip}), then
 * the item; {@code obj[key]} tries the item, then the attribute. What neither finds is {@link Undefined}, never an
 * error, except that looking anything up on an undefined value fails.
 */
final class Access {
    private Access() {
    }

    static Object attribute(Object target, String name) {
        return switch (target) {
            case Undefined undefined -> throw undefined.error();
            case Map<?, ?> map -> Methods.isDictMethod(name) ? new Methods.Bound(map, name)
                    : map.containsKey(name) ? map.get(name) : Undefined.attribute(map, name);
            case String text -> Methods.isStringMethod(name) ? new Methods.Bound(text, name)
                    : Undefined.attribute(text, name);
            case Namespace namespace -> namespace.has(name) ? namespace.get(name) : Undefined.attribute(namespace, name);
            case LoopInfo loop -> loop.attribute(name);
            case null, default -> Undefined.attribute(target, name);
        };
    }

    static Object item(Object target, Object key) {
        return switch (target) {
            case Undefined undefined -> throw undefined.error();
            case Map<?, ?> map -> key instanceof List || key instanceof Map ? Undefined.element(map, key)
                    : map.containsKey(key) ? map.get(key)
                    : key instanceof String name ? attribute(map, name) : Undefined.element(map, key);
            case List<?> list -> {
                if (key instanceof Long || key instanceof Boolean) {
                    long index = Values.toLong(key);
                    long position = index < 0 ? index + list.size() : index;
                    yield position >= 0 && position < list.size() ? list.get((int) position) : Undefined.element(list, key);
                }
                yield Undefined.element(list, key);
            }
            case String text -> {
                if (key instanceof Long || key instanceof Boolean) {
                    int[] codePoints = text.codePoints().toArray();
                    long index = Values.toLong(key);
                    long position = index < 0 ? index + codePoints.length : index;
                    yield position >= 0 && position < codePoints.length ? Character.toString(codePoints[(int) position])
                            : Undefined.element(text, key);
                }
                yield key instanceof String name ? attribute(text, name) : Undefined.element(text, key);
            }
            case null, default -> key instanceof String name ? attribute(target, name) : Undefined.element(target, key);
        };
    }

    /** {@code target[start:stop:step]} with Python's clamping of out-of-range bounds. */
    static Object slice(Object target, Object start, Object stop, Object step) {
        if (target instanceof Undefined undefined) {
            throw undefined.error();
        }
        if (!isIndex(start) || !isIndex(stop) || !isIndex(step) || !(target instanceof String || target instanceof List)) {
            return Undefined.element(target, "slice");
        }
        long by = step == null ? 1 : Values.toLong(step);
        if (by == 0) {
            throw new EvalError("slice step cannot be zero");
        }
        if (target instanceof String text) {
            int[] codePoints = text.codePoints().toArray();
            long[] bounds = bounds(codePoints.length, start, stop, by);
            return PyStrings.slice(codePoints, bounds[0], bounds[1], by);
        }
        List<?> list = (List<?>) target;
        long[] bounds = bounds(list.size(), start, stop, by);
        List<Object> out = new ArrayList<>();
        for (long i = bounds[0]; by > 0 ? i < bounds[1] : i > bounds[1]; i += by) {
            out.add(list.get((int) i));
        }
        return out;
    }

    private static boolean isIndex(Object value) {
        return value == null || value instanceof Long || value instanceof Boolean;
    }

    private static long[] bounds(long length, Object start, Object stop, long step) {
        long lower = step > 0 ? 0 : -1;
        long upper = step > 0 ? length : length - 1;
        return new long[] {
                start == null ? (step > 0 ? lower : upper) : clamp(Values.toLong(start), length, lower, upper),
                stop == null ? (step > 0 ? upper : lower) : clamp(Values.toLong(stop), length, lower, upper)};
    }

    private static long clamp(long index, long length, long lower, long upper) {
        long position = index < 0 ? index + length : index;
        return Math.max(lower, Math.min(upper, position));
    }
}
