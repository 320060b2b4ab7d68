package io.github.infer4j.chat.jinja;

import io.github.infer4j.chat.jinja.Stmt.Target;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a parsed template. Work is bounded: loop iterations and macro calls share a step budget, macro calls
 * nest to a limited depth, and the output and every string built have a maximum length, so that no template can
 * hang the caller or exhaust its memory.
 */
final class Interpreter {
    static final long MAX_STEPS = 1_000_000;
    static final int MAX_CALL_DEPTH = 20;
    /** Jinja2's sandbox refuses larger ranges too. */
    static final int MAX_RANGE = 100_000;

    private enum Flow { NORMAL, BREAK, CONTINUE }

    private final Clock clock;
    private StringBuilder out = new StringBuilder();
    private long steps;
    private int callDepth;

    Interpreter(Clock clock) {
        this.clock = clock;
    }

    String render(List<Stmt> body, Map<String, ?> variables) {
        Scope globals = new Scope(null);
        globals.set("range", (Invocable) (interpreter, args) -> range(args));
        globals.set("namespace", (Invocable) (interpreter, args) -> new Namespace(keywordsAndMapping("namespace", args)));
        globals.set("dict", (Invocable) (interpreter, args) -> keywordsAndMapping("dict", args));
        globals.set("raise_exception", (Invocable) (interpreter, args) -> {
            throw new TemplateRaisedException(Values.str(args.expect("raise_exception", "message")
                    .required(0, "message", "raise_exception")));
        });
        globals.set("strftime_now", (Invocable) (interpreter, args) -> StrfTime.format(
                Methods.string(args.expect("strftime_now", "format").required(0, "format", "strftime_now"), "format"),
                ZonedDateTime.now(clock)));
        variables.forEach((name, value) -> globals.set(name, Values.fromJava(value)));
        execute(body, new Scope(globals));
        return out.toString();
    }

    // ---------------------------------------------------------------- statements

    private Flow execute(List<Stmt> body, Scope scope) {
        for (Stmt stmt : body) {
            Flow flow = execute(stmt, scope);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow execute(Stmt stmt, Scope scope) {
        switch (stmt) {
            case Stmt.Text text -> write(text.text(), 0);
            case Stmt.Print print -> write(text(eval(print.value(), scope), print.value().line()), print.value().line());
            case Stmt.If branches -> {
                for (int i = 0; i < branches.conditions().size(); i++) {
                    if (Values.truthy(eval(branches.conditions().get(i), scope))) {
                        return execute(branches.bodies().get(i), scope);
                    }
                }
                return execute(branches.otherwise(), scope);
            }
            case Stmt.For loop -> {
                return loop(loop, scope);
            }
            case Stmt.Assign assign -> assign(assign.target(), eval(assign.value(), scope), scope, assign.line());
            case Stmt.AssignBlock block -> {
                StringBuilder saved = out;
                out = new StringBuilder();
                try {
                    execute(block.body(), new Scope(scope));
                    assign(block.target(), out.toString(), scope, block.line());
                } finally {
                    out = saved;
                }
            }
            case Stmt.Macro macro -> scope.set(macro.name(), new MacroValue(macro, scope));
            case Stmt.Break ignored -> {
                return Flow.BREAK;
            }
            case Stmt.Continue ignored -> {
                return Flow.CONTINUE;
            }
            case Stmt.Scoped scoped -> {
                return execute(scoped.body(), new Scope(scope));
            }
        }
        return Flow.NORMAL;
    }

    private static String text(Object value, int line) {
        try {
            return Values.str(value);
        } catch (EvalError e) {
            throw new JinjaException("line " + line + ": " + e.getMessage());
        }
    }

    private void write(String text, int line) {
        if ((long) out.length() + text.length() > Operators.MAX_LENGTH) {
            throw new JinjaException("line " + line + ": the output would be longer than " + Operators.MAX_LENGTH
                    + " characters");
        }
        out.append(text);
    }

    private void step(int line) {
        if (++steps > MAX_STEPS) {
            throw new JinjaException("line " + line + ": the template ran more than " + MAX_STEPS
                    + " loop iterations and macro calls");
        }
    }

    private Flow loop(Stmt.For loop, Scope scope) {
        Object iterable = eval(loop.iterable(), scope);
        List<Object> items;
        try {
            items = Values.iterate(iterable);
        } catch (EvalError e) {
            throw new JinjaException("line " + loop.line() + ": " + e.getMessage());
        }
        if (loop.condition() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                step(loop.line());
                Scope candidate = new Scope(scope);
                assign(loop.target(), item, candidate, loop.line());
                if (Values.truthy(eval(loop.condition(), candidate))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            return execute(loop.otherwise(), new Scope(scope));
        }
        LoopInfo info = new LoopInfo(items);
        for (int i = 0; i < items.size(); i++) {
            step(loop.line());
            info.moveTo(i);
            Scope iteration = new Scope(scope);
            assign(loop.target(), items.get(i), iteration, loop.line());
            iteration.set("loop", info);
            if (execute(loop.body(), iteration) == Flow.BREAK) {
                break;
            }
        }
        return Flow.NORMAL;
    }

    private void assign(Target target, Object value, Scope scope, int line) {
        switch (target) {
            case Target.Variable variable -> scope.set(variable.name(), value);
            case Target.NamespaceAttribute attribute -> {
                if (!(scope.lookup(attribute.namespace()) instanceof Namespace namespace)) {
                    throw new JinjaException("line " + line + ": cannot assign attribute '" + attribute.attribute()
                            + "' of '" + attribute.namespace() + "', which is not a namespace()");
                }
                namespace.set(attribute.attribute(), value);
            }
            case Target.Unpack unpack -> {
                List<Object> items;
                try {
                    items = Values.iterate(value);
                } catch (EvalError e) {
                    throw new JinjaException("line " + line + ": cannot unpack: " + e.getMessage());
                }
                if (items.size() != unpack.names().size()) {
                    throw new JinjaException("line " + line + ": expected " + unpack.names().size()
                            + " values to unpack, got " + items.size());
                }
                for (int i = 0; i < items.size(); i++) {
                    scope.set(unpack.names().get(i), items.get(i));
                }
            }
        }
    }

    /** A macro together with the scope it was defined in, which its body sees. */
    private record MacroValue(Stmt.Macro definition, Scope closure) implements Invocable {
        @Override
        public Object call(Interpreter interpreter, Args args) {
            return interpreter.callMacro(this, args);
        }

        @Override
        public String toString() {
            return "<Macro '" + definition.name() + "'>";
        }
    }

    private String callMacro(MacroValue macro, Args args) {
        Stmt.Macro definition = macro.definition();
        List<String> parameters = definition.parameters();
        if (args.positional().size() > parameters.size()) {
            throw new EvalError("macro '" + definition.name() + "' takes not more than " + parameters.size()
                    + " argument(s)");
        }
        for (String name : args.named().keySet()) {
            if (!parameters.contains(name)) {
                throw new EvalError("macro '" + definition.name() + "' takes no keyword argument '" + name + "'");
            }
        }
        if (++callDepth > MAX_CALL_DEPTH) {
            callDepth--;
            throw new EvalError("macros call each other more than " + MAX_CALL_DEPTH + " levels deep");
        }
        step(definition.line());
        StringBuilder saved = out;
        out = new StringBuilder();
        try {
            Scope scope = new Scope(macro.closure());
            int firstDefault = parameters.size() - definition.defaults().size();
            for (int i = 0; i < parameters.size(); i++) {
                String name = parameters.get(i);
                Object value;
                if (i < args.positional().size()) {
                    value = args.positional().get(i);
                } else if (args.named().containsKey(name)) {
                    value = args.named().get(name);
                } else if (i >= firstDefault) {
                    value = eval(definition.defaults().get(i - firstDefault), scope);
                } else {
                    value = Undefined.variable(name);
                }
                scope.set(name, value);
            }
            execute(definition.body(), scope);
            return out.toString();
        } finally {
            out = saved;
            callDepth--;
        }
    }

    // ---------------------------------------------------------------- expressions

    private Object eval(Expr expr, Scope scope) {
        try {
            return evaluate(expr, scope);
        } catch (EvalError e) {
            throw new JinjaException("line " + expr.line() + ": " + e.getMessage());
        }
    }

    private Object evaluate(Expr expr, Scope scope) {
        return switch (expr) {
            case Expr.Literal literal -> literal.value();
            case Expr.Name name -> scope.lookup(name.name());
            case Expr.ListLiteral list -> evalAll(list.items(), scope);
            case Expr.TupleLiteral tuple -> new PyTuple(evalAll(tuple.items(), scope));
            case Expr.DictLiteral dict -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < dict.keys().size(); i++) {
                    map.put(Values.hashable(eval(dict.keys().get(i), scope)), eval(dict.values().get(i), scope));
                }
                yield map;
            }
            case Expr.Attribute attribute -> Access.attribute(eval(attribute.target(), scope), attribute.name());
            case Expr.Item item -> Access.item(eval(item.target(), scope), eval(item.key(), scope));
            case Expr.Slice slice -> Access.slice(eval(slice.target(), scope), evalOrNull(slice.start(), scope),
                    evalOrNull(slice.stop(), scope), evalOrNull(slice.step(), scope));
            case Expr.Call call -> {
                Object callee = eval(call.callee(), scope);
                Args args = evalArguments(call.arguments(), scope);
                if (callee instanceof Undefined undefined) {
                    throw undefined.error();
                }
                if (!(callee instanceof Invocable function)) {
                    throw new EvalError("'" + Values.typeName(callee) + "' object is not callable");
                }
                yield function.call(this, args);
            }
            case Expr.Filter filter -> Filters.apply(filter.name(), eval(filter.value(), scope),
                    evalArguments(filter.arguments(), scope));
            case Expr.Test test -> Tests.apply(test.name(), eval(test.value(), scope), evalArguments(test.arguments(), scope));
            case Expr.Not not -> !Values.truthy(eval(not.operand(), scope));
            case Expr.Unary unary -> Operators.unary(unary.operator(), eval(unary.operand(), scope));
            case Expr.Binary binary -> Operators.binary(binary.operator(), eval(binary.left(), scope),
                    eval(binary.right(), scope));
            case Expr.Concat concat -> {
                StringBuilder text = new StringBuilder();
                for (Expr part : concat.parts()) {
                    text.append(Values.str(eval(part, scope)));
                    if (text.length() > Operators.MAX_LENGTH) {
                        throw new EvalError("the result would be longer than " + Operators.MAX_LENGTH + " items");
                    }
                }
                yield text.toString();
            }
            case Expr.And and -> {
                Object left = eval(and.left(), scope);
                yield Values.truthy(left) ? eval(and.right(), scope) : left;
            }
            case Expr.Or or -> {
                Object left = eval(or.left(), scope);
                yield Values.truthy(left) ? left : eval(or.right(), scope);
            }
            case Expr.Compare compare -> compare(compare, scope);
            case Expr.Conditional conditional -> {
                if (Values.truthy(eval(conditional.condition(), scope))) {
                    yield eval(conditional.then(), scope);
                }
                yield conditional.otherwise() != null ? eval(conditional.otherwise(), scope)
                        : new Undefined("the inline if-expression on line " + conditional.line()
                                + " evaluated to false and no else section was defined.");
            }
        };
    }

    private Object evalOrNull(Expr expr, Scope scope) {
        return expr == null ? null : eval(expr, scope);
    }

    private List<Object> evalAll(List<Expr> items, Scope scope) {
        List<Object> values = new ArrayList<>(items.size());
        for (Expr item : items) {
            values.add(eval(item, scope));
        }
        return values;
    }

    private Args evalArguments(Expr.Arguments arguments, Scope scope) {
        if (arguments.positional().isEmpty() && arguments.named().isEmpty()) {
            return Args.NONE;
        }
        Map<String, Object> named = new LinkedHashMap<>();
        arguments.named().forEach((name, value) -> named.put(name, eval(value, scope)));
        return new Args(evalAll(arguments.positional(), scope), named);
    }

    private boolean compare(Expr.Compare compare, Scope scope) {
        Object left = eval(compare.first(), scope);
        for (int i = 0; i < compare.operators().size(); i++) {
            Object right = eval(compare.operands().get(i), scope);
            String operator = compare.operators().get(i);
            boolean holds = switch (operator) {
                case "==" -> Values.equal(left, right);
                case "!=" -> !Values.equal(left, right);
                case "in" -> Values.contains(right, left);
                case "notin" -> !Values.contains(right, left);
                default -> {
                    int order = Values.compare(left, right, operator);
                    yield switch (operator) {
                        case "<" -> order < 0;
                        case "<=" -> order <= 0;
                        case ">" -> order > 0;
                        default -> order >= 0;
                    };
                }
            };
            if (!holds) {
                return false;
            }
            left = right;
        }
        return true;
    }

    // ---------------------------------------------------------------- global functions

    private static List<Object> range(Args args) {
        args.expect("range", "start", "stop", "step");
        List<Object> bounds = args.positional();
        if (bounds.isEmpty()) {
            throw new EvalError("range expected at least 1 argument, got 0");
        }
        long start = bounds.size() == 1 ? 0 : Values.toLong(Methods.integer(bounds.get(0), "range start"));
        long stop = Values.toLong(Methods.integer(bounds.get(bounds.size() == 1 ? 0 : 1), "range stop"));
        long step = bounds.size() == 3 ? Values.toLong(Methods.integer(bounds.get(2), "range step")) : 1;
        if (step == 0) {
            throw new EvalError("range() arg 3 must not be zero");
        }
        List<Object> values = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (values.size() == MAX_RANGE) {
                throw new EvalError("range too big: more than " + MAX_RANGE + " items");
            }
            values.add(i);
        }
        return values;
    }

    private static Map<String, Object> keywordsAndMapping(String function, Args args) {
        if (args.positional().size() > 1) {
            throw new EvalError(function + "() takes at most 1 positional argument");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (!args.positional().isEmpty()) {
            if (!(args.positional().getFirst() instanceof Map<?, ?> initial)) {
                throw new EvalError(function + "() needs a mapping as its positional argument");
            }
            initial.forEach((key, value) -> values.put(Values.str(key), value));
        }
        values.putAll(args.named());
        return values;
    }
}
