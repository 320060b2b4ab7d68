package io.github.infer4j.chat.jinja;

/** Something a template can call: a global function, a macro or a method bound to a value. */
interface Invocable {
    Object call(Interpreter interpreter, Args args);
}
