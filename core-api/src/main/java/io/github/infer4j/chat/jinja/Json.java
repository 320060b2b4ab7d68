package io.github.infer4j.chat.jinja;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, which Hugging Face installs as the {@code tojson} filter (non-ASCII kept as is,
 * keys in insertion order, no HTML escaping), with its {@code indent}, {@code separators}, {@code sort_keys} and
 * {@code ensure_ascii} options.
 */
final class Json {
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final boolean ensureAscii;
    private final StringBuilder out = new StringBuilder();

    private Json(String indent, String itemSeparator, String keySeparator, boolean sortKeys, boolean ensureAscii) {
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
        this.ensureAscii = ensureAscii;
    }

    /** The {@code tojson} filter: {@code value | tojson(indent=None, separators=None, sort_keys=False, ensure_ascii=False)}. */
    static String dumps(Object value, Args args) {
        args.expect("tojson", "ensure_ascii", "indent", "separators", "sort_keys");
        Object indentArgument = args.get(1, "indent", null);
        String indent = switch (indentArgument) {
            case null -> null;
            case String text -> text;
            case Long spaces -> " ".repeat((int) Math.max(0, Math.min(spaces, 64)));
            default -> throw new EvalError("tojson indent must be an integer or a string");
        };
        String itemSeparator = indent == null ? ", " : ",";
        String keySeparator = ": ";
        Object separators = args.get(2, "separators", null);
        if (separators != null) {
            if (!(separators instanceof List<?> pair) || pair.size() != 2) {
                throw new EvalError("tojson separators must be a pair of strings");
            }
            itemSeparator = Methods.string(pair.get(0), "item separator");
            keySeparator = Methods.string(pair.get(1), "key separator");
        }
        Json json = new Json(indent, itemSeparator, keySeparator, Values.truthy(args.get(3, "sort_keys", false)),
                Values.truthy(args.get(0, "ensure_ascii", false)));
        json.write(value, 0);
        return json.out.toString();
    }

    private void write(Object value, int level) {
        Values.checkNesting(level);
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Long l -> out.append(l);
            case Double d -> out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : Values.formatFloat(d));
            case String s -> writeString(s);
            case List<?> list -> {
                if (list.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    separate(i, level + 1);
                    write(list.get(i), level + 1);
                }
                close(level, ']');
            }
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    out.append("{}");
                    return;
                }
                List<Map.Entry<String, Object>> entries = new ArrayList<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    entries.add(new AbstractMap.SimpleImmutableEntry<>(key(entry.getKey()), entry.getValue()));
                }
                if (sortKeys) {
                    entries.sort(Map.Entry.comparingByKey());
                }
                out.append('{');
                for (int i = 0; i < entries.size(); i++) {
                    separate(i, level + 1);
                    writeString(entries.get(i).getKey());
                    out.append(keySeparator);
                    write(entries.get(i).getValue(), level + 1);
                }
                close(level, '}');
            }
            default -> throw new EvalError("Object of type " + Values.typeName(value) + " is not JSON serializable");
        }
    }

    private void separate(int index, int level) {
        if (index > 0) {
            out.append(itemSeparator);
        }
        if (indent != null) {
            out.append('\n').append(indent.repeat(level));
        }
    }

    private void close(int level, char bracket) {
        if (indent != null) {
            out.append('\n').append(indent.repeat(level));
        }
        out.append(bracket);
    }

    private static String key(Object key) {
        return switch (key) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> Values.formatFloat(d);
            default -> throw new EvalError("keys must be str, int, float, bool or None, not " + Values.typeName(key));
        };
    }

    private void writeString(String text) {
        io.github.infer4j.internal.json.Json.appendQuoted(out, text, ensureAscii);
    }
}
