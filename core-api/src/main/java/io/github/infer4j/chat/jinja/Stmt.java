package io.github.infer4j.chat.jinja;

import java.util.List;

/** Statement nodes of the template tree. */
sealed interface Stmt {

    /** Where a {@code set} or {@code for} stores values. */
    sealed interface Target {
        record Variable(String name) implements Target { }

        /** {@code ns.attr}, which writes through to a {@code namespace()} object. */
        record NamespaceAttribute(String namespace, String attribute) implements Target { }

        /** {@code a, b}: unpacks a sequence of exactly that many items. */
        record Unpack(List<String> names) implements Target { }
    }

    record Text(String text) implements Stmt { }

    record Print(Expr value) implements Stmt { }

    /** if / elif branches in order; {@code otherwise} is the else body (empty when absent). */
    record If(List<Expr> conditions, List<List<Stmt>> bodies, List<Stmt> otherwise) implements Stmt { }

    /** {@code condition} (may be null) filters the items before the loop sees them, as in Jinja. */
    record For(Target target, Expr iterable, Expr condition, List<Stmt> body, List<Stmt> otherwise, int line)
            implements Stmt { }

    record Assign(Target target, Expr value, int line) implements Stmt { }

    /** {@code {% set x %}...{% endset %}}: captures the rendered body. */
    record AssignBlock(Target target, List<Stmt> body, int line) implements Stmt { }

    /** {@code defaults} belong to the last parameters, as in Python. */
    record Macro(String name, List<String> parameters, List<Expr> defaults, List<Stmt> body, int line)
            implements Stmt { }

    record Break(int line) implements Stmt { }

    record Continue(int line) implements Stmt { }

    /** A body with its own variable scope: Hugging Face's {@code {% generation %}} block. */
    record Scoped(List<Stmt> body) implements Stmt { }
}
