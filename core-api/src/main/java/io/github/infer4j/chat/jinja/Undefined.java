package io.github.infer4j.chat.jinja;

/**
 * Jinja2's default {@code Undefined}: what a missing variable, attribute, key or index evaluates to. It prints as
 * nothing, is false, iterates as empty and has length 0, but using it in arithmetic, calling it or reading an
 * attribute of it fails with {@code hint}, the message Jinja2 gives (for example {@code 'x' is undefined}).
 */
record Undefined(String hint) {

    static Undefined variable(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    static Undefined attribute(Object owner, String name) {
        return new Undefined("'" + Values.objectDescription(owner) + "' has no attribute '" + name + "'");
    }

    static Undefined element(Object owner, Object key) {
        return key instanceof String name ? attribute(owner, name)
                : new Undefined(Values.objectDescription(owner) + " has no element " + Values.repr(key));
    }

    EvalError error() {
        return new EvalError(hint);
    }
}
