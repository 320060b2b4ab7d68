package io.github.infer4j.chat.jinja;

import io.github.infer4j.chat.jinja.Expr.Arguments;
import io.github.infer4j.chat.jinja.Stmt.Target;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for the Jinja2 subset, with Jinja2's operator precedence (loosest first): inline
 * {@code if}, {@code or}, {@code and}, {@code not}, comparisons and {@code in}, {@code + -}, {@code ~},
 * {@code * / // %}, {@code **}, unary {@code - +}, then attribute, item, call, filter and test postfixes. Filters
 * bind tighter than every binary operator, so {@code 'a' + x | trim} trims {@code x} only. Unknown filters and
 * tests are rejected here, as Jinja2 rejects them when it compiles a template.
 */
final class Parser {
    /** Deeper nesting than this is refused so that hostile templates cannot overflow the stack. */
    private static final int MAX_DEPTH = 100;
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final List<Token> tokens;
    private int index;
    private int depth;
    /** How many for loops enclose the current point of a macro body or the template, for break and continue. */
    private int loopDepth;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Stmt> parse(String template) {
        Parser parser = new Parser(Lexer.tokenize(template));
        List<Stmt> body = parser.parseBody(null, Set.of());
        if (parser.current().kind() != Token.Kind.END) {
            Token tag = parser.current();
            throw parser.error(tag, "unexpected tag '" + tag.text() + "': no open block ends with it");
        }
        return body;
    }

    private Token current() {
        return tokens.get(index);
    }

    private Token peek() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    private Token advance() {
        Token token = tokens.get(index);
        if (index < tokens.size() - 1) {
            index++;
        }
        return token;
    }

    private Token expect(Token.Kind kind, String spelling, String what) {
        Token token = current();
        if (token.kind() != kind || spelling != null && !token.text().equals(spelling)) {
            throw error(token, "expected " + what + ", found " + token.describe());
        }
        return advance();
    }

    private void expectOperator(String operator) {
        expect(Token.Kind.OPERATOR, operator, "'" + operator + "'");
    }

    private String expectName() {
        return expect(Token.Kind.NAME, null, "a name").text();
    }

    private void expectBlockEnd() {
        expect(Token.Kind.BLOCK_END, null, "'%}'");
    }

    private boolean skipName(String name) {
        if (current().isName(name)) {
            advance();
            return true;
        }
        return false;
    }

    private boolean skipOperator(String operator) {
        if (current().isOperator(operator)) {
            advance();
            return true;
        }
        return false;
    }

    private void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw error(at, "the template nests blocks or expressions more than " + MAX_DEPTH + " levels deep");
        }
    }

    private void leave() {
        depth--;
    }

    TemplateSyntaxException error(Token at, String what) {
        return new TemplateSyntaxException("line " + at.line() + ", column " + at.column() + ": " + what);
    }

    // ---------------------------------------------------------------- statements

    /**
     * Statements up to a block tag named in {@code endTags}; on return the current token is that tag's name. At the
     * top level ({@code opener == null}) it stops at the end of the template or at a stray tag.
     */
    private List<Stmt> parseBody(Token opener, Set<String> endTags) {
        enter(current());
        List<Stmt> body = new ArrayList<>();
        while (true) {
            Token token = current();
            switch (token.kind()) {
                case DATA -> {
                    advance();
                    body.add(new Stmt.Text(token.text()));
                }
                case VARIABLE_BEGIN -> {
                    advance();
                    body.add(new Stmt.Print(parseTuple(true, Set.of(), false)));
                    expect(Token.Kind.VARIABLE_END, null, "'}}'");
                }
                case BLOCK_BEGIN -> {
                    Token name = peek();
                    if (name.kind() == Token.Kind.NAME && endTags.contains(name.text())) {
                        advance();
                        leave();
                        return body;
                    }
                    if (name.kind() == Token.Kind.NAME && name.text().startsWith("end") && opener == null) {
                        advance();
                        leave();
                        return body;
                    }
                    advance();
                    body.add(parseStatement(opener, endTags));
                }
                case END -> {
                    if (opener != null) {
                        throw error(token, "unexpected end of template: expected " + tagList(endTags)
                                + " to close the '" + opener.text() + "' block at line " + opener.line()
                                + ", column " + opener.column());
                    }
                    leave();
                    return body;
                }
                default -> throw error(token, "unexpected " + token.describe());
            }
        }
    }

    private static String tagList(Set<String> tags) {
        return tags.stream().sorted().map(tag -> "{% " + tag + " %}").reduce((a, b) -> a + " or " + b).orElse("");
    }

    private Stmt parseStatement(Token opener, Set<String> endTags) {
        Token tag = current();
        if (tag.kind() != Token.Kind.NAME) {
            throw error(tag, "expected a tag name after '{%', found " + tag.describe());
        }
        return switch (tag.text()) {
            case "if" -> parseIf();
            case "for" -> parseFor();
            case "set" -> parseSet();
            case "macro" -> parseMacro();
            case "break", "continue" -> {
                if (loopDepth == 0) {
                    throw error(tag, "'" + tag.text() + "' outside of a for loop");
                }
                advance();
                expectBlockEnd();
                yield tag.text().equals("break") ? new Stmt.Break(tag.line()) : new Stmt.Continue(tag.line());
            }
            case "generation" -> {
                advance();
                expectBlockEnd();
                List<Stmt> body = parseBody(tag, Set.of("endgeneration"));
                advance();
                expectBlockEnd();
                yield new Stmt.Scoped(body);
            }
            default -> throw error(tag, opener == null
                    ? "unknown tag '" + tag.text() + "'"
                    : "unknown tag '" + tag.text() + "' inside the '" + opener.text() + "' block at line "
                            + opener.line() + " (which ends with " + tagList(endTags) + ")");
        };
    }

    private Stmt parseIf() {
        Token opener = advance();
        List<Expr> conditions = new ArrayList<>();
        List<List<Stmt>> bodies = new ArrayList<>();
        List<Stmt> otherwise = List.of();
        conditions.add(parseTuple(false, Set.of(), false));
        expectBlockEnd();
        while (true) {
            List<Stmt> body = parseBody(opener, Set.of("elif", "else", "endif"));
            bodies.add(body);
            String tag = advance().text();
            if (tag.equals("elif")) {
                conditions.add(parseTuple(false, Set.of(), false));
                expectBlockEnd();
            } else if (tag.equals("else")) {
                expectBlockEnd();
                otherwise = parseBody(opener, Set.of("endif"));
                advance();
                expectBlockEnd();
                break;
            } else {
                expectBlockEnd();
                break;
            }
        }
        return new Stmt.If(conditions, bodies, otherwise);
    }

    private Stmt parseFor() {
        Token opener = advance();
        Target target = parseTarget(false);
        expect(Token.Kind.NAME, "in", "'in'");
        Expr iterable = parseTuple(false, Set.of("recursive"), false);
        Expr condition = skipName("if") ? parseExpression(true) : null;
        if (current().isName("recursive")) {
            throw error(current(), "recursive loops are not supported");
        }
        expectBlockEnd();
        loopDepth++;
        List<Stmt> body = parseBody(opener, Set.of("else", "endfor"));
        loopDepth--;
        List<Stmt> otherwise = List.of();
        if (advance().text().equals("else")) {
            expectBlockEnd();
            otherwise = parseBody(opener, Set.of("endfor"));
            advance();
        }
        expectBlockEnd();
        return new Stmt.For(target, iterable, condition, body, otherwise, opener.line());
    }

    private Stmt parseSet() {
        Token opener = advance();
        Target target = parseTarget(true);
        if (skipOperator("=")) {
            Expr value = parseTuple(true, Set.of(), false);
            expectBlockEnd();
            return new Stmt.Assign(target, value, opener.line());
        }
        if (current().isOperator("|")) {
            throw error(current(), "filters on a {% set %} block are not supported");
        }
        expectBlockEnd();
        List<Stmt> body = parseBody(opener, Set.of("endset"));
        advance();
        expectBlockEnd();
        return new Stmt.AssignBlock(target, body, opener.line());
    }

    private Target parseTarget(boolean allowNamespace) {
        Token first = current();
        if (allowNamespace && first.kind() == Token.Kind.NAME && peek().isOperator(".")) {
            advance();
            advance();
            return new Target.NamespaceAttribute(first.text(), expectName());
        }
        boolean parenthesized = skipOperator("(");
        List<String> names = new ArrayList<>();
        boolean tuple = parenthesized;
        do {
            if (!names.isEmpty()) {
                tuple = true;
            }
            if (parenthesized && current().isOperator(")")) {
                break;
            }
            Token name = expect(Token.Kind.NAME, null, "a variable name");
            if (Set.of("true", "false", "none", "True", "False", "None").contains(name.text())) {
                throw error(name, "cannot assign to '" + name.text() + "'");
            }
            names.add(name.text());
        } while (skipOperator(","));
        if (parenthesized) {
            expectOperator(")");
        }
        if (names.isEmpty()) {
            throw error(first, "expected a variable name");
        }
        return tuple ? new Target.Unpack(names) : new Target.Variable(names.getFirst());
    }

    private Stmt parseMacro() {
        Token opener = advance();
        String name = expectName();
        expectOperator("(");
        List<String> parameters = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        while (!current().isOperator(")")) {
            if (!parameters.isEmpty()) {
                expectOperator(",");
                if (current().isOperator(")")) {
                    break;
                }
            }
            Token parameter = expect(Token.Kind.NAME, null, "a parameter name");
            parameters.add(parameter.text());
            if (skipOperator("=")) {
                defaults.add(parseExpression(true));
            } else if (!defaults.isEmpty()) {
                throw error(parameter, "parameter '" + parameter.text() + "' without a default follows one with a default");
            }
        }
        advance();
        expectBlockEnd();
        int enclosingLoops = loopDepth;
        loopDepth = 0;
        List<Stmt> body = parseBody(opener, Set.of("endmacro"));
        loopDepth = enclosingLoops;
        advance();
        expectBlockEnd();
        return new Stmt.Macro(name, parameters, defaults, body, opener.line());
    }

    // ---------------------------------------------------------------- expressions

    /** A tuple when commas separate expressions, else the single expression (Jinja's parse_tuple). */
    private Expr parseTuple(boolean withConditional, Set<String> extraEnds, boolean explicitParentheses) {
        Token start = current();
        List<Expr> items = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(extraEnds)) {
                break;
            }
            items.add(parseExpression(withConditional));
            if (current().isOperator(",")) {
                tuple = true;
            } else {
                break;
            }
        }
        if (!tuple) {
            if (!items.isEmpty()) {
                return items.getFirst();
            }
            if (!explicitParentheses) {
                throw error(start, "expected an expression, found " + start.describe());
            }
        }
        return new Expr.TupleLiteral(List.copyOf(items), start.line());
    }

    private boolean isTupleEnd(Set<String> extraEnds) {
        Token token = current();
        return token.kind() == Token.Kind.VARIABLE_END || token.kind() == Token.Kind.BLOCK_END
                || token.isOperator(")") || token.kind() == Token.Kind.NAME && extraEnds.contains(token.text());
    }

    private Expr parseExpression(boolean withConditional) {
        Token start = current();
        enter(start);
        Expr expr = parseOr();
        while (withConditional && skipName("if")) {
            Expr condition = parseOr();
            Expr otherwise = skipName("else") ? parseExpression(true) : null;
            expr = new Expr.Conditional(condition, expr, otherwise, start.line());
        }
        leave();
        return expr;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (current().isName("or")) {
            int line = advance().line();
            left = new Expr.Or(left, parseAnd(), line);
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (current().isName("and")) {
            int line = advance().line();
            left = new Expr.And(left, parseNot(), line);
        }
        return left;
    }

    private Expr parseNot() {
        if (current().isName("not")) {
            Token not = advance();
            enter(not);
            Expr operand = parseNot();
            leave();
            return new Expr.Not(operand, not.line());
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        Token start = current();
        Expr first = parseMath1();
        List<String> operators = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token token = current();
            if (token.kind() == Token.Kind.OPERATOR && COMPARISONS.contains(token.text())) {
                advance();
                operators.add(token.text());
            } else if (token.isName("in")) {
                advance();
                operators.add("in");
            } else if (token.isName("not") && peek().isName("in")) {
                advance();
                advance();
                operators.add("notin");
            } else {
                break;
            }
            operands.add(parseMath1());
        }
        return operators.isEmpty() ? first
                : new Expr.Compare(first, List.copyOf(operators), List.copyOf(operands), start.line());
    }

    private Expr parseMath1() {
        Expr left = parseConcat();
        while (current().isOperator("+") || current().isOperator("-")) {
            Token operator = advance();
            left = new Expr.Binary(operator.text(), left, parseConcat(), operator.line());
        }
        return left;
    }

    private Expr parseConcat() {
        Token start = current();
        Expr first = parseMath2();
        if (!current().isOperator("~")) {
            return first;
        }
        List<Expr> parts = new ArrayList<>(List.of(first));
        while (skipOperator("~")) {
            parts.add(parseMath2());
        }
        return new Expr.Concat(List.copyOf(parts), start.line());
    }

    private Expr parseMath2() {
        Expr left = parsePower();
        while (current().kind() == Token.Kind.OPERATOR && Set.of("*", "/", "//", "%").contains(current().text())) {
            Token operator = advance();
            left = new Expr.Binary(operator.text(), left, parsePower(), operator.line());
        }
        return left;
    }

    private Expr parsePower() {
        Expr left = parseUnary(true);
        while (current().isOperator("**")) {
            Token operator = advance();
            left = new Expr.Binary("**", left, parseUnary(true), operator.line());
        }
        return left;
    }

    private Expr parseUnary(boolean withFilters) {
        Token token = current();
        Expr expr;
        if (token.isOperator("-") || token.isOperator("+")) {
            advance();
            enter(token);
            expr = new Expr.Unary(token.text(), parseUnary(false), token.line());
            leave();
        } else {
            expr = parsePrimary();
        }
        expr = parsePostfix(expr);
        return withFilters ? parseFilters(expr) : expr;
    }

    private Expr parsePrimary() {
        Token token = current();
        switch (token.kind()) {
            case NAME -> {
                advance();
                return switch (token.text()) {
                    case "true", "True" -> new Expr.Literal(Boolean.TRUE, token.line());
                    case "false", "False" -> new Expr.Literal(Boolean.FALSE, token.line());
                    case "none", "None" -> new Expr.Literal(null, token.line());
                    default -> new Expr.Name(token.text(), token.line());
                };
            }
            case STRING -> {
                StringBuilder text = new StringBuilder();
                while (current().kind() == Token.Kind.STRING) {
                    text.append((String) advance().value());
                }
                return new Expr.Literal(text.toString(), token.line());
            }
            case INTEGER, FLOAT -> {
                advance();
                return new Expr.Literal(token.value(), token.line());
            }
            case OPERATOR -> {
                switch (token.text()) {
                    case "(" -> {
                        advance();
                        Expr inner = parseTuple(true, Set.of(), true);
                        expectOperator(")");
                        return inner;
                    }
                    case "[" -> {
                        return parseList();
                    }
                    case "{" -> {
                        return parseDict();
                    }
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
        throw error(token, "unexpected " + token.describe());
    }

    private Expr parseList() {
        Token open = advance();
        List<Expr> items = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!items.isEmpty()) {
                expectOperator(",");
                if (current().isOperator("]")) {
                    break;
                }
            }
            items.add(parseExpression(true));
        }
        advance();
        return new Expr.ListLiteral(List.copyOf(items), open.line());
    }

    private Expr parseDict() {
        Token open = advance();
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!current().isOperator("}")) {
            if (!keys.isEmpty()) {
                expectOperator(",");
                if (current().isOperator("}")) {
                    break;
                }
            }
            keys.add(parseExpression(true));
            expectOperator(":");
            values.add(parseExpression(true));
        }
        advance();
        return new Expr.DictLiteral(List.copyOf(keys), List.copyOf(values), open.line());
    }

    private Expr parsePostfix(Expr target) {
        Expr expr = target;
        while (true) {
            Token token = current();
            if (token.isOperator(".")) {
                advance();
                Token name = current();
                if (name.kind() == Token.Kind.NAME) {
                    advance();
                    expr = new Expr.Attribute(expr, name.text(), token.line());
                } else if (name.kind() == Token.Kind.INTEGER) {
                    advance();
                    expr = new Expr.Item(expr, new Expr.Literal(name.value(), name.line()), token.line());
                } else {
                    throw error(name, "expected an attribute name after '.', found " + name.describe());
                }
            } else if (token.isOperator("[")) {
                expr = parseSubscript(expr);
            } else if (token.isOperator("(")) {
                expr = new Expr.Call(expr, parseCallArguments(), token.line());
            } else {
                return expr;
            }
        }
    }

    private Expr parseSubscript(Expr target) {
        Token open = advance();
        Expr start = null;
        if (!current().isOperator(":")) {
            start = parseExpression(true);
            if (!current().isOperator(":")) {
                if (current().isOperator(",")) {
                    throw error(current(), "subscripts with several indices are not supported");
                }
                expectOperator("]");
                return new Expr.Item(target, start, open.line());
            }
        }
        advance();
        Expr stop = current().isOperator(":") || current().isOperator("]") ? null : parseExpression(true);
        Expr step = null;
        if (skipOperator(":")) {
            step = current().isOperator("]") ? null : parseExpression(true);
        }
        expectOperator("]");
        return new Expr.Slice(target, start, stop, step, open.line());
    }

    private Arguments parseCallArguments() {
        expectOperator("(");
        List<Expr> positional = new ArrayList<>();
        Map<String, Expr> named = new LinkedHashMap<>();
        while (!current().isOperator(")")) {
            if (!positional.isEmpty() || !named.isEmpty()) {
                expectOperator(",");
                if (current().isOperator(")")) {
                    break;
                }
            }
            Token token = current();
            if (token.isOperator("*") || token.isOperator("**")) {
                throw error(token, "'*' and '**' arguments are not supported");
            }
            if (token.kind() == Token.Kind.NAME && peek().isOperator("=")) {
                advance();
                advance();
                if (named.put(token.text(), parseExpression(true)) != null) {
                    throw error(token, "keyword argument '" + token.text() + "' repeated");
                }
            } else if (!named.isEmpty()) {
                throw error(token, "a positional argument follows a keyword argument");
            } else {
                positional.add(parseExpression(true));
            }
        }
        advance();
        return new Arguments(List.copyOf(positional), named);
    }

    private Expr parseFilters(Expr target) {
        Expr expr = target;
        while (true) {
            Token token = current();
            if (token.isOperator("|")) {
                advance();
                Token name = expect(Token.Kind.NAME, null, "a filter name after '|'");
                if (!Filters.exists(name.text())) {
                    throw error(name, "unknown filter '" + name.text() + "'");
                }
                Arguments arguments = current().isOperator("(") ? parseCallArguments() : Arguments.NONE;
                expr = new Expr.Filter(expr, name.text(), arguments, name.line());
            } else if (token.isName("is")) {
                expr = parseTest(expr);
            } else if (token.isOperator("(")) {
                expr = new Expr.Call(expr, parseCallArguments(), token.line());
            } else {
                return expr;
            }
        }
    }

    private Expr parseTest(Expr target) {
        Token is = advance();
        boolean negated = skipName("not");
        Token name = expect(Token.Kind.NAME, null, "a test name after 'is'");
        if (!Tests.exists(name.text())) {
            throw error(name, "unknown test '" + name.text() + "'");
        }
        Arguments arguments = Arguments.NONE;
        Token next = current();
        if (next.isOperator("(")) {
            arguments = parseCallArguments();
        } else if (startsBareTestArgument(next)) {
            if (next.isName("is")) {
                throw error(next, "tests cannot be chained with 'is'");
            }
            arguments = new Arguments(List.of(parsePostfix(parsePrimary())), Map.of());
        }
        Expr test = new Expr.Test(target, name.text(), arguments, is.line());
        return negated ? new Expr.Not(test, is.line()) : test;
    }

    /** Jinja lets a test take one argument without parentheses: {@code x is divisibleby 3}. */
    private static boolean startsBareTestArgument(Token token) {
        return switch (token.kind()) {
            case NAME -> !Set.of("else", "or", "and", "if", "in", "not").contains(token.text());
            case STRING, INTEGER, FLOAT -> true;
            case OPERATOR -> token.text().equals("[") || token.text().equals("{");
            default -> false;
        };
    }
}
