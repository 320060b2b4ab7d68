package io.github.infer4j.chat.jinja;

import java.util.List;
import java.util.Map;

/** Expression nodes of the template tree; {@code line} is where the expression starts, for error messages. */
sealed interface Expr {
    int line();

    /** Positional and keyword arguments of a call, filter or test, as written. */
    record Arguments(List<Expr> positional, Map<String, Expr> named) {
        static final Arguments NONE = new Arguments(List.of(), Map.of());
    }

    record Literal(Object value, int line) implements Expr { }

    record Name(String name, int line) implements Expr { }

    record ListLiteral(List<Expr> items, int line) implements Expr { }

    record TupleLiteral(List<Expr> items, int line) implements Expr { }

    record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr { }

    /** {@code target.name}: Jinja tries the attribute, then the item of that name. */
    record Attribute(Expr target, String name, int line) implements Expr { }

    /** {@code target[key]}: Jinja tries the item, then the attribute of that name. */
    record Item(Expr target, Expr key, int line) implements Expr { }

    /** {@code target[start:stop:step]}; absent parts are null. */
    record Slice(Expr target, Expr start, Expr stop, Expr step, int line) implements Expr { }

    record Call(Expr callee, Arguments arguments, int line) implements Expr { }

    record Filter(Expr value, String name, Arguments arguments, int line) implements Expr { }

    record Test(Expr value, String name, Arguments arguments, int line) implements Expr { }

    record Not(Expr operand, int line) implements Expr { }

    /** Unary {@code -} or {@code +}. */
    record Unary(String operator, Expr operand, int line) implements Expr { }

    /** One of {@code + - * / // % **}. */
    record Binary(String operator, Expr left, Expr right, int line) implements Expr { }

    /** {@code a ~ b ~ c}: the string forms joined. */
    record Concat(List<Expr> parts, int line) implements Expr { }

    record And(Expr left, Expr right, int line) implements Expr { }

    record Or(Expr left, Expr right, int line) implements Expr { }

    /** A chain such as {@code a < b <= c}; operators are {@code == != < <= > >= in notin}. */
    record Compare(Expr first, List<String> operators, List<Expr> operands, int line) implements Expr { }

    /** {@code then if condition else otherwise}; {@code otherwise} is null when the else part is missing. */
    record Conditional(Expr condition, Expr then, Expr otherwise, int line) implements Expr { }
}
