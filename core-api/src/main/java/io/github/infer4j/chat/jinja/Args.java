package io.github.infer4j.chat.jinja;

import java.util.List;
import java.util.Map;

/** Evaluated positional and keyword arguments of a call, filter or test, with Python's binding rules. */
record Args(List<Object> positional, Map<String, Object> named) {
    static final Args NONE = new Args(List.of(), Map.of());

    /** The argument at {@code index} or named {@code name}, else {@code fallback}. */
    Object get(int index, String name, Object fallback) {
        if (index < positional.size()) {
            if (named.containsKey(name)) {
                throw new EvalError("got multiple values for argument '" + name + "'");
            }
            return positional.get(index);
        }
        return named.containsKey(name) ? named.get(name) : fallback;
    }

    Object required(int index, String name, String function) {
        if (index >= positional.size() && !named.containsKey(name)) {
            throw new EvalError(function + "() is missing the argument '" + name + "'");
        }
        return get(index, name, null);
    }

    /** Rejects arguments beyond the {@code names} the function takes, positionally in that order. */
    Args expect(String function, String... names) {
        if (positional.size() > names.length) {
            throw new EvalError(function + "() takes at most " + names.length + " argument(s), got "
                    + positional.size());
        }
        for (String name : named.keySet()) {
            if (!List.of(names).contains(name)) {
                throw new EvalError(function + "() got an unexpected keyword argument '" + name + "'");
            }
        }
        return this;
    }
}
