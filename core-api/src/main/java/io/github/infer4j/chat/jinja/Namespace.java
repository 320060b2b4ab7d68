package io.github.infer4j.chat.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object {@code namespace()} returns. Its attributes can be assigned from inside loops
 * ({@code {% set ns.found = true %}}), which plain variables cannot: a loop body's assignments end with the
 * iteration.
 */
final class Namespace {
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    Namespace(Map<String, Object> initial) {
        attributes.putAll(initial);
    }

    boolean has(String name) {
        return attributes.containsKey(name);
    }

    Object get(String name) {
        return attributes.get(name);
    }

    void set(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public String toString() {
        return "<Namespace " + Values.repr(attributes) + ">";
    }
}
