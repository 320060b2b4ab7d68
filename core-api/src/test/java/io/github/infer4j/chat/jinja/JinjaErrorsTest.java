package io.github.infer4j.chat.jinja;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad templates fail with a message that says where and what; hostile ones are stopped, never hang or crash. */
class JinjaErrorsTest {

    record Case(String template, String message) {
        @Override
        public String toString() {
            return template.length() > 40 ? template.substring(0, 40) + "..." : template;
        }
    }

    static Stream<Case> syntaxErrors() {
        return Stream.of(
                new Case("{% for x in y %}", "line 1, column 17: unexpected end of template: expected {% else %} or "
                        + "{% endfor %} to close the 'for' block at line 1, column 4"),
                new Case("{{ 1 + }}", "line 1, column 8: unexpected '}}'"),
                new Case("a\nb\n{% if %}", "line 3, column 7: expected an expression, found '%}'"),
                new Case("{{ x | nosuchfilter }}", "line 1, column 8: unknown filter 'nosuchfilter'"),
                new Case("{{ x is blue }}", "line 1, column 9: unknown test 'blue'"),
                new Case("{% if x %}{% endfor %}", "line 1, column 14: unknown tag 'endfor' inside the 'if' block at line 1 "
                        + "(which ends with {% elif %} or {% else %} or {% endif %})"),
                new Case("x{% endif %}", "line 1, column 5: unexpected tag 'endif': no open block ends with it"),
                new Case("{% include 'other.jinja' %}", "line 1, column 4: unknown tag 'include'"),
                new Case("{% break %}", "line 1, column 4: 'break' outside of a for loop"),
                new Case("{{ 'unterminated }}", "line 1, column 4: the string starting here is never closed with '"),
                new Case("ok\n  {{ x", "line 2, column 3: the tag opened here is never closed with '}}'"),
                new Case("{# never closed", "line 1, column 1: the comment opened here is never closed with '#}'"),
                new Case("{{ f(a=1, 2) }}", "line 1, column 11: a positional argument follows a keyword argument"),
                new Case("{% set 1 = 2 %}", "line 1, column 8: expected a variable name, found number 1"),
                new Case("{{ 'x' ? }}", "line 1, column 8: unexpected character '?'"),
                new Case("{{ '\\x4' }}", "line 1, column 5: truncated \\x escape: it needs 2 hex digits"));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void syntaxErrorsNameLineColumnAndWhatWasExpected(Case error) {
        assertThatThrownBy(() -> JinjaTemplate.parse(error.template()))
                .isInstanceOf(TemplateSyntaxException.class).hasMessage(error.message());
    }

    @Test
    void nestingBeyondTheLimitIsRefusedWhileParsing() {
        for (String template : new String[] {"{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}",
                "{{ " + "not ".repeat(5000) + "x }}", "{{ " + "- ".repeat(5000) + "1 }}", "{{ " + "[".repeat(5000) + "]".repeat(5000) + " }}",
                "{% if x %}".repeat(5000)}) {
            assertThatThrownBy(() -> JinjaTemplate.parse(template)).isInstanceOf(TemplateSyntaxException.class)
                    .hasMessageContaining("nests blocks or expressions more than 100 levels deep");
        }
    }

    static Stream<Case> renderErrors() {
        return Stream.of(
                new Case("{{ 'a' + 1 }}", "line 1: unsupported operand type(s) for +: 'str' and 'int'"),
                new Case("\n{{ 'a'() }}", "line 2: 'str' object is not callable"),
                new Case("{{ 2 ** 64 }}", "line 1: integer overflow in '**'"),
                new Case("{{ 1 // 0 }}", "line 1: division by zero"),
                new Case("{{ 'a' < 1 }}", "line 1: '<' not supported between instances of 'str' and 'int'"),
                new Case("{% set x = 1 %}{% set x.y = 2 %}", "line 1: cannot assign attribute 'y' of 'x', which is not a namespace()"),
                new Case("{% set a, b = [1] %}", "line 1: expected 2 values to unpack, got 1"),
                new Case("{% for x in 5 %}{% endfor %}", "line 1: 'int' object is not iterable"),
                new Case("{{ 'abc'.split('') }}", "line 1: empty separator"),
                new Case("{{ {'a': 1} | tojson(indent=nothing) }}", "line 1: tojson indent must be an integer or a string"),
                new Case("{{ nothing | tojson }}", "line 1: Object of type Undefined is not JSON serializable"),
                new Case("{{ '-'.join([1, 2]) }}", "line 1: sequence item 0: expected str instance, int found"),
                new Case("{{ 'x'.strip(1, 2) }}", "line 1: strip() takes at most 1 argument(s), got 2"),
                new Case("{{ range(1000000) | length }}", "line 1: range too big: more than 100000 items"));
    }

    @ParameterizedTest
    @MethodSource("renderErrors")
    void renderErrorsNameTheLine(Case error) {
        JinjaTemplate template = JinjaTemplate.parse(error.template());
        assertThatThrownBy(() -> template.render(Map.of())).isInstanceOf(JinjaException.class)
                .isNotInstanceOf(TemplateRaisedException.class).hasMessage(error.message());
    }

    @Test
    @Timeout(20)
    void runawayTemplatesAreStopped() {
        assertThatThrownBy(() -> JinjaTemplate.parse("{% for i in range(100000) %}{% for j in range(100000) %}"
                + "{% endfor %}{% endfor %}").render(Map.of()))
                .isInstanceOf(JinjaException.class).hasMessage("line 1: the template ran more than 1000000 loop iterations "
                        + "and macro calls");
        assertThatThrownBy(() -> JinjaTemplate.parse("{% set ns = namespace(s='ab') %}{% for i in range(40) %}"
                + "{% set ns.s = ns.s + ns.s %}{% endfor %}").render(Map.of()))
                .isInstanceOf(JinjaException.class).hasMessage("line 1: the result would be longer than 16777216 items");
        assertThatThrownBy(() -> JinjaTemplate.parse("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}")
                .render(Map.of()))
                .isInstanceOf(JinjaException.class).hasMessage("line 1: the output would be longer than 16777216 characters");
        assertThatThrownBy(() -> JinjaTemplate.parse("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}").render(Map.of()))
                .isInstanceOf(JinjaException.class).hasMessage("line 1: macros call each other more than 20 levels deep");
        assertThatThrownBy(() -> JinjaTemplate.parse("{% set ns = namespace(x=1) %}{% for i in range(600) %}"
                + "{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x }}").render(Map.of()))
                .isInstanceOf(JinjaException.class).hasMessage("line 1: lists or dicts are nested more than 500 levels deep");
    }

    @Test
    void aLoopJustUnderTheLimitStillRuns() {
        String template = "{% set ns = namespace(n=0) %}{% for i in range(1000) %}{% for j in range(999) %}"
                + "{% set ns.n = ns.n + 1 %}{% endfor %}{% endfor %}{{ ns.n }}";
        assertThat(JinjaTemplate.parse(template).render(Map.of())).isEqualTo("999000");
    }
}
