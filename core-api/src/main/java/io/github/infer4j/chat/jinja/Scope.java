package io.github.infer4j.chat.jinja;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a template. Jinja2 gives every loop iteration and every macro call a scope of
 * its own, so a {@code set} inside a loop is forgotten when the iteration ends, while {@code if} blocks share the
 * scope around them.
 */
final class Scope {
    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object lookup(String name) {
        for (Scope scope = this; scope != null; scope = scope.parent) {
            if (scope.variables.containsKey(name)) {
                return scope.variables.get(name);
            }
        }
        return Undefined.variable(name);
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }
}
