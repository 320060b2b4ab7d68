package io.github.infer4j.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Python methods chat templates call on strings and dicts. Methods that would modify a value (such as
 * {@code list.append}) are absent, as in the immutable sandbox Hugging Face renders templates in.
 */
final class Methods {
    private static final Set<String> STRING_METHODS = Set.of("strip", "lstrip", "rstrip", "split", "rsplit",
            "splitlines", "startswith", "endswith", "upper", "lower", "title", "capitalize", "replace", "find", "rfind",
            "count", "join", "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper", "removeprefix",
            "removesuffix");
    private static final Set<String> DICT_METHODS = Set.of("items", "keys", "values", "get");

    private Methods() {
    }

    static boolean isStringMethod(String name) {
        return STRING_METHODS.contains(name);
    }

    static boolean isDictMethod(String name) {
        return DICT_METHODS.contains(name);
    }

    /** A method looked up on a value and not yet called, like Python's bound methods. */
    record Bound(Object receiver, String name) implements Invocable {
        @Override
        public Object call(Interpreter interpreter, Args args) {
            return receiver instanceof String text ? callString(text, name, args) : callDict((Map<?, ?>) receiver, name, args);
        }

        @Override
        public String toString() {
            return "<built-in method " + name + " of " + Values.typeName(receiver) + " object>";
        }
    }

    private static Object callString(String text, String name, Args args) {
        return switch (name) {
            case "strip", "lstrip", "rstrip" -> PyStrings.strip(text, optionalString(args.expect(name, "chars"), 0, "chars"),
                    !name.equals("rstrip"), !name.equals("lstrip"));
            case "split", "rsplit" -> {
                args.expect(name, "sep", "maxsplit");
                String separator = optionalString(args, 0, "sep");
                long maxSplit = Values.toLong(integer(args.get(1, "maxsplit", -1L), "maxsplit"));
                yield name.equals("split") ? PyStrings.split(text, separator, maxSplit)
                        : PyStrings.rsplit(text, separator, maxSplit);
            }
            case "splitlines" -> new ArrayList<Object>(PyStrings.splitLines(text));
            case "startswith", "endswith" -> {
                Object affix = args.expect(name, "prefix").required(0, "prefix", name);
                List<Object> options = affix instanceof List<?> list ? new ArrayList<>(list) : List.of(affix);
                for (Object option : options) {
                    String part = string(option, name + " argument");
                    if (name.equals("startswith") ? text.startsWith(part) : text.endsWith(part)) {
                        yield true;
                    }
                }
                yield false;
            }
            case "upper" -> PyStrings.upper(noArguments(text, name, args));
            case "lower" -> PyStrings.lower(noArguments(text, name, args));
            case "title" -> PyStrings.title(noArguments(text, name, args));
            case "capitalize" -> PyStrings.capitalize(noArguments(text, name, args));
            case "replace" -> {
                args.expect(name, "old", "new", "count");
                yield replace(text, string(args.required(0, "old", name), "old"), string(args.required(1, "new", name), "new"),
                        Values.toLong(integer(args.get(2, "count", -1L), "count")));
            }
            case "find", "rfind" -> {
                String part = string(args.expect(name, "sub").required(0, "sub", name), "sub");
                int found = name.equals("find") ? text.indexOf(part) : text.lastIndexOf(part);
                yield found < 0 ? -1L : (long) text.codePointCount(0, found);
            }
            case "count" -> {
                String part = string(args.expect(name, "sub").required(0, "sub", name), "sub");
                yield count(text, part);
            }
            case "join" -> join(text, Values.iterate(args.expect(name, "iterable").required(0, "iterable", name)));
            case "isdigit" -> PyStrings.all(noArguments(text, name, args), Character::isDigit);
            case "isalpha" -> PyStrings.all(noArguments(text, name, args), Character::isLetter);
            case "isalnum" -> PyStrings.all(noArguments(text, name, args), Character::isLetterOrDigit);
            case "isspace" -> PyStrings.all(noArguments(text, name, args), PyText::isSpace);
            case "islower" -> PyStrings.isCase(noArguments(text, name, args), false);
            case "isupper" -> PyStrings.isCase(noArguments(text, name, args), true);
            case "removeprefix" -> {
                String prefix = string(args.expect(name, "prefix").required(0, "prefix", name), "prefix");
                yield text.startsWith(prefix) ? text.substring(prefix.length()) : text;
            }
            case "removesuffix" -> {
                String suffix = string(args.expect(name, "suffix").required(0, "suffix", name), "suffix");
                yield text.endsWith(suffix) && !suffix.isEmpty() ? text.substring(0, text.length() - suffix.length()) : text;
            }
            default -> throw new IllegalStateException("no string method " + name);
        };
    }

    private static Object callDict(Map<?, ?> dict, String name, Args args) {
        return switch (name) {
            case "items" -> {
                args.expect(name);
                List<Object> pairs = new ArrayList<>(dict.size());
                for (Map.Entry<?, ?> entry : dict.entrySet()) {
                    pairs.add(pair(entry.getKey(), entry.getValue()));
                }
                yield pairs;
            }
            case "keys" -> {
                args.expect(name);
                yield new ArrayList<Object>(dict.keySet());
            }
            case "values" -> {
                args.expect(name);
                yield new ArrayList<Object>(dict.values());
            }
            case "get" -> {
                args.expect(name, "key", "default");
                Object key = args.required(0, "key", name);
                yield dict.containsKey(key) ? dict.get(key) : args.get(1, "default", null);
            }
            default -> throw new IllegalStateException("no dict method " + name);
        };
    }

    static List<Object> pair(Object first, Object second) {
        List<Object> pair = new ArrayList<>(2);
        pair.add(first);
        pair.add(second);
        return new PyTuple(pair);
    }

    static String replace(String text, String old, String replacement, long count) {
        long limit = count < 0 ? Long.MAX_VALUE : count;
        if (old.isEmpty()) {
            StringBuilder out = new StringBuilder();
            long done = 0;
            int i = 0;
            while (true) {
                if (done < limit) {
                    out.append(replacement);
                    done++;
                }
                if (i >= text.length()) {
                    return out.toString();
                }
                int c = text.codePointAt(i);
                out.appendCodePoint(c);
                i += Character.charCount(c);
            }
        }
        StringBuilder out = new StringBuilder();
        int start = 0;
        int found;
        long done = 0;
        while (done < limit && (found = text.indexOf(old, start)) >= 0) {
            out.append(text, start, found).append(replacement);
            start = found + old.length();
            done++;
        }
        return out.append(text, start, text.length()).toString();
    }

    private static long count(String text, String part) {
        if (part.isEmpty()) {
            return text.codePointCount(0, text.length()) + 1L;
        }
        long count = 0;
        int at = text.indexOf(part);
        while (at >= 0) {
            count++;
            at = text.indexOf(part, at + part.length());
        }
        return count;
    }

    static String join(String separator, List<Object> items) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String item)) {
                throw new EvalError("sequence item " + i + ": expected str instance, "
                        + Values.typeName(items.get(i)) + " found");
            }
            out.append(i > 0 ? separator : "").append(item);
        }
        return out.toString();
    }

    private static String noArguments(String text, String name, Args args) {
        args.expect(name);
        return text;
    }

    private static String optionalString(Args args, int index, String name) {
        Object value = args.get(index, name, null);
        return value == null ? null : string(value, name);
    }

    static String string(Object value, String what) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Undefined undefined) {
            throw undefined.error();
        }
        throw new EvalError(what + " must be a string, not " + Values.typeName(value));
    }

    static Object integer(Object value, String what) {
        if (value instanceof Long || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Undefined undefined) {
            throw undefined.error();
        }
        throw new EvalError(what + " must be an integer, not " + Values.typeName(value));
    }
}
