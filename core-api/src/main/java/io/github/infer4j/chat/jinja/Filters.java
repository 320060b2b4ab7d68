package io.github.infer4j.chat.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Jinja2's built-in filters that chat templates use, with Jinja2's argument names and defaults. */
final class Filters {
    private interface Filter {
        Object apply(Object value, Args args);
    }

    private static final Map<String, Filter> FILTERS = new HashMap<>();

    static {
        FILTERS.put("abs", (value, args) -> {
            args.expect("abs");
            Object number = requireNumber(value, "abs");
            return number instanceof Double d ? (Object) Math.abs(d) : (Object) Math.absExact(Values.toLong(number));
        });
        FILTERS.put("attr", (value, args) -> {
            String name = Values.str(args.expect("attr", "name").required(0, "name", "attr"));
            // Only the attribute: unlike obj.name, a dict's keys are not tried.
            if (value instanceof Map<?, ?> map) {
                return Methods.isDictMethod(name) ? new Methods.Bound(map, name) : Undefined.attribute(map, name);
            }
            return Access.attribute(value, name);
        });
        FILTERS.put("capitalize", (value, args) -> PyStrings.capitalize(text(value, args, "capitalize")));
        FILTERS.put("center", (value, args) -> {
            args.expect("center", "width");
            String text = Values.str(value);
            long margin = Values.toLong(Methods.integer(args.get(0, "width", 80L), "width"))
                    - text.codePointCount(0, text.length());
            if (margin <= 0) {
                return text;
            }
            long left = margin / 2 + (margin & Values.toLong(args.get(0, "width", 80L)) & 1);
            if (margin > Operators.MAX_LENGTH) {
                throw new EvalError("the result would be longer than " + Operators.MAX_LENGTH + " items");
            }
            return " ".repeat((int) left) + text + " ".repeat((int) (margin - left));
        });
        FILTERS.put("count", Filters::length);
        FILTERS.put("length", Filters::length);
        FILTERS.put("default", Filters::defaultValue);
        FILTERS.put("d", Filters::defaultValue);
        FILTERS.put("dictsort", Filters::dictsort);
        FILTERS.put("format", (value, args) -> {
            if (!args.named().isEmpty()) {
                throw new EvalError("format with keyword arguments is not supported");
            }
            return Operators.binary("%", Values.str(value), new PyTuple(args.positional()));
        });
        FILTERS.put("min", (value, args) -> extreme(value, args, "min", -1));
        FILTERS.put("max", (value, args) -> extreme(value, args, "max", 1));
        FILTERS.put("first", (value, args) -> {
            args.expect("first");
            List<Object> items = Values.iterate(value);
            return items.isEmpty() ? new Undefined("No first item, sequence was empty.") : items.getFirst();
        });
        FILTERS.put("last", (value, args) -> {
            args.expect("last");
            List<Object> items = Values.iterate(value);
            return items.isEmpty() ? new Undefined("No last item, sequence was empty.") : items.getLast();
        });
        FILTERS.put("float", Filters::toFloat);
        FILTERS.put("int", Filters::toInt);
        FILTERS.put("indent", Filters::indent);
        FILTERS.put("items", (value, args) -> {
            args.expect("items");
            if (value instanceof Undefined) {
                return List.of();
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new EvalError("Can only get item pairs from a mapping.");
            }
            List<Object> pairs = new ArrayList<>(map.size());
            map.forEach((key, item) -> pairs.add(Methods.pair(key, item)));
            return pairs;
        });
        FILTERS.put("join", (value, args) -> {
            args.expect("join", "d", "attribute");
            String separator = Values.str(args.get(0, "d", ""));
            Object attribute = args.get(1, "attribute", null);
            List<Object> items = new ArrayList<>();
            for (Object item : Values.iterate(value)) {
                items.add(Values.str(attribute == null ? item : attribute(item, attribute)));
            }
            return Methods.join(separator, items);
        });
        FILTERS.put("list", (value, args) -> {
            args.expect("list");
            return new ArrayList<>(Values.iterate(value));
        });
        FILTERS.put("lower", (value, args) -> PyStrings.lower(text(value, args, "lower")));
        FILTERS.put("upper", (value, args) -> PyStrings.upper(text(value, args, "upper")));
        FILTERS.put("map", Filters::map);
        FILTERS.put("select", (value, args) -> select(value, args, false, false));
        FILTERS.put("reject", (value, args) -> select(value, args, true, false));
        FILTERS.put("selectattr", (value, args) -> select(value, args, false, true));
        FILTERS.put("rejectattr", (value, args) -> select(value, args, true, true));
        FILTERS.put("replace", (value, args) -> {
            args.expect("replace", "old", "new", "count");
            Object count = args.get(2, "count", null);
            return Methods.replace(Values.str(value), Values.str(args.required(0, "old", "replace")),
                    Values.str(args.required(1, "new", "replace")),
                    count == null ? -1 : Values.toLong(Methods.integer(count, "count")));
        });
        FILTERS.put("reverse", (value, args) -> {
            args.expect("reverse");
            if (value instanceof String text) {
                return new StringBuilder(text).reverse().toString();
            }
            List<Object> items = new ArrayList<>(Values.iterate(value));
            Collections.reverse(items);
            return items;
        });
        FILTERS.put("round", Filters::round);
        FILTERS.put("safe", (value, args) -> {
            args.expect("safe");
            return value;
        });
        FILTERS.put("sort", Filters::sort);
        FILTERS.put("string", (value, args) -> Values.str(value));
        FILTERS.put("sum", (value, args) -> {
            args.expect("sum", "attribute", "start");
            Object attribute = args.get(0, "attribute", null);
            Object total = args.get(1, "start", 0L);
            for (Object item : Values.iterate(value)) {
                total = Operators.binary("+", total, attribute == null ? item : attribute(item, attribute));
            }
            return total;
        });
        FILTERS.put("title", (value, args) -> PyStrings.titleFilter(text(value, args, "title")));
        FILTERS.put("tojson", (value, args) -> Json.dumps(value, args));
        FILTERS.put("trim", (value, args) -> {
            args.expect("trim", "chars");
            Object chars = args.get(0, "chars", null);
            return PyStrings.strip(Values.str(value), chars == null ? null : Values.str(chars), true, true);
        });
        FILTERS.put("unique", Filters::unique);
    }

    private Filters() {
    }

    static boolean exists(String name) {
        return FILTERS.containsKey(name);
    }

    static Object apply(String name, Object value, Args args) {
        return FILTERS.get(name).apply(value, args);
    }

    private static String text(Object value, Args args, String filter) {
        args.expect(filter);
        return Values.str(value);
    }

    private static Object length(Object value, Args args) {
        args.expect("length");
        return Values.length(value);
    }

    private static Object defaultValue(Object value, Args args) {
        args.expect("default", "default_value", "boolean");
        boolean ifFalse = Values.truthy(args.get(1, "boolean", false));
        return value instanceof Undefined || ifFalse && !Values.truthy(value) ? args.get(0, "default_value", "") : value;
    }

    private static Object requireNumber(Object value, String filter) {
        if (value instanceof Undefined undefined) {
            throw undefined.error();
        }
        if (!Values.isNumber(value)) {
            throw new EvalError(filter + " needs a number, not " + Values.typeName(value));
        }
        return value;
    }

    private static Object toFloat(Object value, Args args) {
        args.expect("float", "default");
        Object fallback = args.get(0, "default", 0.0);
        if (Values.isNumber(value)) {
            return Values.toDouble(value);
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    private static Object toInt(Object value, Args args) {
        args.expect("int", "default", "base");
        Object fallback = args.get(0, "default", 0L);
        long base = Values.toLong(Methods.integer(args.get(1, "base", 10L), "base"));
        if (value instanceof Double d) {
            return Double.isFinite(d) ? (Object) (long) (double) d : fallback;
        }
        if (Values.isNumber(value)) {
            return Values.toLong(value);
        }
        if (value instanceof String text) {
            String digits = PyStrings.strip(text, null, true, true).replace("_", "");
            try {
                return Long.parseLong(digits, (int) base);
            } catch (NumberFormatException e) {
                try {
                    return (long) Double.parseDouble(digits);
                } catch (NumberFormatException again) {
                    return fallback;
                }
            }
        }
        return fallback;
    }

    /** Jinja's indent: every line but the first (and blank lines unless {@code blank}) gets the indentation. */
    private static Object indent(Object value, Args args) {
        args.expect("indent", "width", "first", "blank");
        Object width = args.get(0, "width", 4L);
        String indentation = width instanceof String text ? text : " ".repeat((int) Math.max(0, Math.min(
                Values.toLong(Methods.integer(width, "width")), 256)));
        boolean first = Values.truthy(args.get(1, "first", false));
        boolean blank = Values.truthy(args.get(2, "blank", false));
        List<String> lines = PyStrings.splitLines(Values.str(value) + "\n");
        StringBuilder out = new StringBuilder(lines.isEmpty() ? "" : lines.getFirst());
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            out.append('\n').append(blank || !line.isEmpty() ? indentation : "").append(line);
        }
        return first ? indentation + out : out.toString();
    }

    private static Object map(Object value, Args args) {
        List<Object> out = new ArrayList<>();
        if (args.positional().isEmpty()) {
            args.expect("map", "attribute", "default");
            Object attribute = args.required(0, "attribute", "map");
            Object fallback = args.get(1, "default", null);
            for (Object item : Values.iterate(value)) {
                Object found = attribute(item, attribute);
                out.add(found instanceof Undefined && args.named().containsKey("default") ? fallback : found);
            }
            return out;
        }
        String filter = Values.str(args.positional().getFirst());
        if (!exists(filter)) {
            throw new EvalError("no filter named '" + filter + "'");
        }
        Args rest = new Args(args.positional().subList(1, args.positional().size()), args.named());
        for (Object item : Values.iterate(value)) {
            out.add(apply(filter, item, rest));
        }
        return out;
    }

    /** select / reject / selectattr / rejectattr: keep the items whose (attribute's) test result is not {@code reject}. */
    private static Object select(Object value, Args args, boolean reject, boolean byAttribute) {
        List<Object> positional = args.positional();
        int next = 0;
        Object attribute = null;
        if (byAttribute) {
            if (positional.isEmpty()) {
                throw new EvalError("missing the attribute to select by");
            }
            attribute = positional.get(next++);
        }
        String test = next < positional.size() ? Values.str(positional.get(next++)) : null;
        if (test != null && !Tests.exists(test)) {
            throw new EvalError("no test named '" + test + "'");
        }
        Args testArgs = new Args(positional.subList(next, positional.size()), args.named());
        List<Object> out = new ArrayList<>();
        for (Object item : Values.iterate(value)) {
            Object subject = byAttribute ? attribute(item, attribute) : item;
            boolean passed = test == null ? Values.truthy(subject) : Tests.apply(test, subject, testArgs);
            if (passed != reject) {
                out.add(item);
            }
        }
        return out;
    }

    private static Object round(Object value, Args args) {
        args.expect("round", "precision", "method");
        double number = Values.toDouble(requireNumber(value, "round"));
        int precision = (int) Values.toLong(Methods.integer(args.get(0, "precision", 0L), "precision"));
        String method = Values.str(args.get(1, "method", "common"));
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new EvalError("method must be common, ceil or floor");
        };
        if (!Double.isFinite(number)) {
            return number;
        }
        return new BigDecimal(number).setScale(precision, mode).doubleValue();
    }

    private static Object sort(Object value, Args args) {
        args.expect("sort", "reverse", "case_sensitive", "attribute");
        boolean reverse = Values.truthy(args.get(0, "reverse", false));
        boolean caseSensitive = Values.truthy(args.get(1, "case_sensitive", false));
        Object attribute = args.get(2, "attribute", null);
        List<Object> items = new ArrayList<>(Values.iterate(value));
        items.sort((a, b) -> {
            Object x = sortKey(attribute == null ? a : attribute(a, attribute), caseSensitive);
            Object y = sortKey(attribute == null ? b : attribute(b, attribute), caseSensitive);
            return Values.compare(x, y, "<");
        });
        if (reverse) {
            Collections.reverse(items);
        }
        return items;
    }

    private static Object sortKey(Object value, boolean caseSensitive) {
        return !caseSensitive && value instanceof String text ? PyStrings.lower(text) : value;
    }

    /** Jinja's dictsort: the (key, value) pairs ordered by key or by value, strings case-insensitively by default. */
    private static Object dictsort(Object value, Args args) {
        args.expect("dictsort", "case_sensitive", "by", "reverse");
        if (!(value instanceof Map<?, ?> map)) {
            throw new EvalError("dictsort needs a mapping, not " + Values.typeName(value));
        }
        boolean caseSensitive = Values.truthy(args.get(0, "case_sensitive", false));
        String by = Values.str(args.get(1, "by", "key"));
        if (!by.equals("key") && !by.equals("value")) {
            throw new EvalError("You can only sort by either \"key\" or \"value\"");
        }
        int part = by.equals("key") ? 0 : 1;
        List<Object> pairs = new ArrayList<>(map.size());
        map.forEach((key, item) -> pairs.add(Methods.pair(key, item)));
        pairs.sort((a, b) -> Values.compare(sortKey(((List<?>) a).get(part), caseSensitive),
                sortKey(((List<?>) b).get(part), caseSensitive), "<"));
        if (Values.truthy(args.get(2, "reverse", false))) {
            Collections.reverse(pairs);
        }
        return pairs;
    }

    /** min (sign -1) or max (sign 1) of the items, by attribute if given; undefined when there are none. */
    private static Object extreme(Object value, Args args, String filter, int sign) {
        args.expect(filter, "case_sensitive", "attribute");
        boolean caseSensitive = Values.truthy(args.get(0, "case_sensitive", false));
        Object attribute = args.get(1, "attribute", null);
        Object best = null;
        Object bestKey = null;
        for (Object item : Values.iterate(value)) {
            Object key = sortKey(attribute == null ? item : attribute(item, attribute), caseSensitive);
            if (bestKey == null || Integer.signum(Values.compare(key, bestKey, "<")) == sign) {
                best = item;
                bestKey = key;
            }
        }
        return bestKey == null ? new Undefined("No aggregated item, sequence was empty.") : best;
    }

    private static Object unique(Object value, Args args) {
        args.expect("unique", "case_sensitive", "attribute");
        boolean caseSensitive = Values.truthy(args.get(0, "case_sensitive", false));
        Object attribute = args.get(1, "attribute", null);
        List<Object> seen = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (Object item : Values.iterate(value)) {
            Object key = sortKey(attribute == null ? item : attribute(item, attribute), caseSensitive);
            if (!Values.contains(seen, key)) {
                seen.add(key);
                out.add(item);
            }
        }
        return out;
    }

    /** Jinja's attribute getter: a dotted path of item lookups, where parts made of digits are indices. */
    private static Object attribute(Object item, Object path) {
        if (path instanceof Long index) {
            return Access.item(item, index);
        }
        Object current = item;
        for (String part : Values.str(path).split("\\.", -1)) {
            boolean index = !part.isEmpty() && part.length() < 19 && part.chars().allMatch(c -> c >= '0' && c <= '9');
            Object key = index ? (Object) Long.parseLong(part) : part;
            current = Access.item(current, key);
        }
        return current;
    }
}
