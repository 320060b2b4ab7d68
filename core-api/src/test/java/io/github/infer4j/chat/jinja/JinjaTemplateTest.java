package io.github.infer4j.chat.jinja;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The interpreter's features, each against the text Python's Jinja2 renders under Hugging Face's settings
 * ({@code trim_blocks}, {@code lstrip_blocks}, loop controls, Python's {@code json.dumps} as {@code tojson}).
 */
class JinjaTemplateTest {
    private static final List<Map<String, Object>> MESSAGES = List.of(
            message("system", "You are a terse assistant."),
            message("user", "What is the capital of France?"),
            message("assistant", "  Paris.\n"),
            message("user", "And of Italy?"));
    private static final Clock SEPTEMBER_5_2024 = Clock.fixed(Instant.parse("2024-09-05T10:00:00Z"), ZoneOffset.UTC);

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", role);
        message.put("content", content);
        return message;
    }

    private static String render(String template) {
        return JinjaTemplate.parse(template).render(Map.of("messages", MESSAGES), SEPTEMBER_5_2024);
    }

    @Test
    void blockTagsSwallowTheirNewlineAndIndentation() {
        // lstrip_blocks drops the indentation before {% %}; trim_blocks the newline after it.
        assertThat(render("  {% if true %}\n    x\n  {% endif %}\n")).isEqualTo("    x\n");
        // {{ }} keeps both, and one trailing newline of the template is dropped.
        assertThat(render("  {{ 'x' }}\n\n")).isEqualTo("  x\n");
        assertThat(render("\t {% set x = 1 %}\t\n{{ x }}\r\nwin\rmac")).isEqualTo("\t\n1\nwin\nmac");
    }

    @Test
    void minusStripsAllWhitespaceAndPlusKeepsIt() {
        assertThat(render("a\n  {%- if true -%}  \n b \n {%+ endif %}\n c")).isEqualTo("ab \n  c");
        assertThat(render("line\n    {%+ if true %}keep{% endif +%}\nnext")).isEqualTo("line\n    keep\nnext");
        assertThat(render("{# comment #}\n  {# c2 -#}   x {{- ' y ' -}} z\n{%- for i in range(3) %}\n  {{ i }}\n{% endfor %}\nend\n\n"))
                .isEqualTo("x y z  0\n  1\n  2\nend\n");
    }

    @Test
    void arithmeticAndNumbersPrintAsPython() {
        assertThat(render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }}"
                + " {{ 7 / 2 }} {{ 4 / 2 }} {{ 1e20 }} {{ 0.1 + 0.2 }} {{ 1.5e-7 }} {{ 3.0 }} {{ -2 ** 2 }}"))
                .isEqualTo("7 9 3 -4 1 2 1024 3.5 2.0 1e+20 0.30000000000000004 1.5e-07 3.0 4");
    }

    @Test
    void stringsListsAndDictsPrintAsPython() {
        assertThat(render("{{ [1, 'a', none, true, 1.5, {'k': [2]}] }} {{ {'a': 1, 'b': 'it\\'s'} }} {{ none }} {{ (1, 2) }}{{ (1,) }}"))
                .isEqualTo("[1, 'a', None, True, 1.5, {'k': [2]}] {'a': 1, 'b': \"it's\"} None (1, 2)(1,)");
        assertThat(render("{{ 'tab\\there\\x41\\u00e9\\101\\q' }}|{{ \"dq \\\"x\\\"\" }}|{{ 'a' 'b' }}"))
                .isEqualTo("tab\thereAéA\\q|dq \"x\"|ab");
    }

    @Test
    void operatorsFollowPythonAndFiltersBindTightest() {
        assertThat(render("{{ 'a' ~ 1 ~ none ~ true }} {{ 'x' * 3 }} {{ 'a' + 'b' | upper + 'c' }} {{ messages | length - 1 }}"))
                .isEqualTo("a1NoneTrue xxx aBc 3");
        assertThat(render("{{ 'yes' if 1 < 2 < 3 else 'no' }}{{ 'a' if false }}|{{ 1 == 1.0 }} {{ 'ab' in 'cabd' }}"
                + " {{ 2 not in [1, 3] }} {{ 'k' in {'k': 1} }} {{ not true }} {{ not 1 == 2 }}"))
                .isEqualTo("yes|True True True True False True");
        assertThat(render("{{ true and 'yes' }} {{ false or 'no' }} {{ 0 or '' or 'last' }} {{ [1, [2]] == [1, [2]] }}"
                + " {{ [1, 2] < [1, 3] }} {{ (1, 2) == [1, 2] }}"))
                .isEqualTo("yes no last True True False");
    }

    @Test
    void indexingAndSlicingCountCodePoints() {
        assertThat(render("{{ 'abc'[1] }} {{ 'abc'[-1] }} {{ 'abcdef'[1:4] }} {{ 'abcdef'[::-1] }} {{ [1,2,3][::2] }}"
                + " {{ [1,2,3][-2:] }} {{ messages[-1].content }} {{ messages[1:][0].role }} {{ messages.0.role }}"))
                .isEqualTo("b c bcd fedcba [1, 3] [2, 3] And of Italy? user system");
        assertThat(render("{{ '😀ab'[1] }}{{ '😀ab' | length }}{{ 'a😀b'[::-1] }}")).isEqualTo("a3b😀a");
    }

    @Test
    void stringMethods() {
        assertThat(render("{{ '  pad  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '\\n\\nx\\n'.lstrip('\\n') }}|{{ ' a  b c '.split() }}"
                + "|{{ 'a,b,,c'.split(',') }}|{{ 'a b c'.split(' ', 1) }}|{{ 'a b c'.rsplit(' ', 1) }}|{{ 'Hello'.upper() }}"
                + "{{ 'Hello'.lower() }}|{{ \"they're bill's\".title() }}|{{ 'hello world'.capitalize() }}"
                + "|{{ 'abc'.startswith('ab') }}{{ 'abc'.endswith(('x', 'c')) }}|{{ 'aaa'.replace('a', 'b', 2) }}"
                + "|{{ 'abcabc'.find('c') }}{{ 'abc'.count('') }}|{{ '-'.join(['a', 'b']) }}"))
                .isEqualTo("pad|a|x\n|['a', 'b', 'c']|['a', 'b', '', 'c']|['a', 'b c']|['a b', 'c']|HELLOhello"
                        + "|They'Re Bill'S|Hello world|TrueTrue|bba|24|a-b");
        assertThat(render("{{ 'ab\\ncd\\r\\nef'.splitlines() }}{{ '12'.isdigit() }}{{ 'aBc'.islower() }}{{ '\\u00a0x\\u2003'.strip() }}"))
                .isEqualTo("['ab', 'cd', 'ef']TrueFalsex");
    }

    @Test
    void dictAccessAndMethods() {
        assertThat(render("{% set d = {'role': 'x', 'n': 1} %}{{ d.role }}{{ d['n'] }}{{ d.get('missing', 'dflt') }}"
                + "{{ d.get('role') }}{{ d.keys() | list }}{{ d.values() | list }}{{ d.missing }}|{{ d.items() | list }}"
                + "|{{ 'role' in d }}"))
                .isEqualTo("x1dfltx['role', 'n']['x', 1]|[('role', 'x'), ('n', 1)]|True");
    }

    @Test
    void filters() {
        assertThat(render("{{ '  x  ' | trim }}|{{ [3,1,2] | length }}|{{ 'abc' | upper }}|{{ 'ABC' | lower }}"
                + "|{{ 'hello WORLD' | capitalize }}|{{ 'hello-world (foo)' | title }}|{{ nothing | default('dflt') }}"
                + "|{{ '' | default('e', true) }}|{{ [1,2] | join(', ') }}|{{ [1,2,3] | first }}{{ [1,2,3] | last }}"
                + "|{{ 'aXbX' | replace('X', '-') }}|{{ [1,2] | string }}|{{ {'b': 1, 'a': 2} | items | list }}"))
                .isEqualTo("x|3|ABC|abc|Hello world|Hello-World (Foo)|dflt|e|1, 2|13|a-b-|[1, 2]|[('b', 1), ('a', 2)]");
        assertThat(render("{% set users = messages | selectattr('role', 'equalto', 'user') | list %}{{ users | length }}"
                + " {{ messages | map(attribute='role') | join(',') }} {{ messages | rejectattr('role', 'eq', 'user')"
                + " | map(attribute='role') | list }} {{ [1, 0, 2] | select | list }} {{ [1,2,3,4] | select('odd') | list }}"
                + " {{ ['b','A','c'] | sort }} {{ [1,2,3] | reverse | list }} {{ 'abc' | reverse }} {{ [1,2,2,1] | unique | list }}"
                + " {{ [1,2,3] | sum }} {{ '42' | int + 1 }} {{ '3.5' | float }} {{ -3 | abs }} {{ 2.5 | round }}"
                + " {{ 3.14159 | round(2) }}"))
                .isEqualTo("2 system,user,assistant,user ['system', 'assistant'] [1, 2] [1, 3] ['A', 'b', 'c'] [3, 2, 1]"
                        + " cba [1, 2] 6 43 3.5 3 2.0 3.14");
        assertThat(render("{{ 'a\\nb\\n\\nc' | indent(2) }}|{{ 'a\\nb' | indent(2, true) }}|{{ ['x','y'] | map('upper') | join }}"))
                .isEqualTo("a\n  b\n\n  c|  a\n  b|XY");
        assertThat(render("{{ {'b': 1, 'A': 3, 'c': 2} | dictsort }}|{{ {'b': 1, 'A': 3, 'c': 2} | dictsort(by='value', reverse=true) }}"
                + "|{{ '%s is %d' | format('x', 3) }}|{{ [3, 1, 2] | min }}{{ [3, 1, 2] | max }}|{{ ['b', 'A', 'c'] | max }}"
                + "|{{ messages | max(attribute='role') }}|{{ 'xaxbx' | trim('x') }}|{{ 'a.b.c' | replace('.', '', 1) }}"
                + "|{{ messages[0] | attr('role') }}"))
                .isEqualTo("[('A', 3), ('b', 1), ('c', 2)]|[('A', 3), ('c', 2), ('b', 1)]|x is 3|13|c"
                        + "|{'role': 'user', 'content': 'What is the capital of France?'}|axb|ab.c|");
    }

    @Test
    void tojsonIsPythonsJsonDumps() {
        assertThat(render("{{ {'a': 'é\"\\n', 'b': [1, 2.5, none, true]} | tojson }}|{{ {'a': [1, {'b': []}], 'c': {}} | tojson(indent=2) }}"
                + "|{{ [1,2] | tojson(separators=(',', ':')) }}|{{ {'b':1,'a':2} | tojson(sort_keys=true) }}"
                + "|{{ 'é<' | tojson(ensure_ascii=true) }}"))
                .isEqualTo("{\"a\": \"é\\\"\\n\", \"b\": [1, 2.5, null, true]}|{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    }\n  ],"
                        + "\n  \"c\": {}\n}|[1,2]|{\"a\": 2, \"b\": 1}|\"\\u00e9<\"");
    }

    @Test
    void tests() {
        assertThat(render("{{ x is defined }}{{ messages is defined }}{{ none is none }}{{ 'a' is string }}{{ {} is mapping }}"
                + "{{ [] is iterable }}{{ 'a' is iterable }}{{ 1 is number }}{{ true is number }}{{ 1 is integer }}"
                + "{{ 1.0 is float }}{{ 3 is odd }}{{ 4 is even }}{{ 9 is divisibleby 3 }}{{ 9 is divisibleby(4) }}"
                + "{{ 1 is equalto 1 }}{{ 'a' is in 'abc' }}{{ x is not defined }}{{ nothing is iterable }}"))
                .isEqualTo("FalseTrueTrueTrueTrueTrueTrueTrueTrueTrueTrueTrueTrueTrueFalseTrueTrueTrueTrue");
    }

    @Test
    void loops() {
        assertThat(render("{% for m in messages %}{{ loop.index }}/{{ loop.length }}{{ '^' if loop.first }}{{ '$' if loop.last }}"
                + "{{ loop.revindex0 }} {% endfor %}|{% for i in range(5) if i is odd %}{{ i }}{{ loop.index }}{% endfor %}"
                + "|{% for i in [] %}x{% else %}empty{% endfor %}|{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}"
                + "|{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}"
                + "{{ i }}{% endfor %}|{% for x in 'ab' %}{{ loop.cycle('o', 'e') }}{{ x }}{% endfor %}"))
                .isEqualTo("1/4^3 2/42 3/41 4/4$0 |1132|empty|a=1;b=2;|0134|oaeb");
        assertThat(render("{% for a in [1,2] %}{% for b in [3,4] %}{{ loop.index }}{{ a }}{{ b }}{% endfor %}"
                + "{{ loop.index }}{% endfor %}")).isEqualTo("11321411232242");
        assertThat(render("{% for m in messages[::-1] %}{{ m.role[0] }}{{ loop.previtem is defined }}{% endfor %}"))
                .isEqualTo("uFalseaTrueuTruesTrue");
    }

    @Test
    void assignmentsInsideLoopsEndWithTheIterationButNamespacesPersist() {
        assertThat(render("{% set x = 1 %}{% for i in range(3) %}{% set x = x + i %}{{ x }}{% endfor %}|{{ x }}"
                + "|{% if true %}{% set y = 5 %}{% endif %}{{ y }}|{% set ns = namespace(total=0) %}{% for i in range(4) %}"
                + "{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}|{% set a, b = 1, 2 %}{{ a }}{{ b }}"
                + "|{% set blk %}in {{ a }} block{% endset %}[{{ blk }}]"))
                .isEqualTo("123|1|5|6|12|[in 1 block]");
    }

    @Test
    void macros() {
        assertThat(render("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('Bob') }}"
                + " {{ greet('Al', punct='?') }} {{ greet(name='Z') }}")).isEqualTo("Hi Bob! Hi Al? Hi Z!");
    }

    @Test
    void undefinedValuesAreEmptyFalseAndIterableButNotUsable() {
        assertThat(render("[{{ nothing }}][{{ nothing | trim }}][{{ nothing | length }}]{% for x in nothing %}x{% endfor %}"
                + "{{ nothing is defined }}{{ nothing == nothing }}{{ messages[9] is defined }}{{ messages[0].nope is defined }}"))
                .isEqualTo("[][][0]FalseTrueFalseFalse");
        assertThatThrownBy(() -> render("{{ nothing + 'a' }}")).isInstanceOf(JinjaException.class)
                .hasMessage("line 1: 'nothing' is undefined");
        assertThatThrownBy(() -> render("\n{{ nothing.attr }}")).isInstanceOf(JinjaException.class)
                .hasMessage("line 2: 'nothing' is undefined");
        assertThatThrownBy(() -> render("{{ messages[10].role }}")).isInstanceOf(JinjaException.class)
                .hasMessage("line 1: list object has no element 10");
        assertThatThrownBy(() -> render("{{ messages[0].tool_calls[0] }}")).isInstanceOf(JinjaException.class)
                .hasMessage("line 1: 'dict object' has no attribute 'tool_calls'");
    }

    @Test
    void raiseExceptionCarriesTheTemplatesMessage() {
        assertThatThrownBy(() -> render("{{ raise_exception('Custom failure: ' ~ 3) }}"))
                .isInstanceOf(TemplateRaisedException.class).hasMessage("Custom failure: 3");
    }

    @Test
    void strftimeNowReadsTheGivenClock() {
        assertThat(render("{{ strftime_now('%d %b %Y') }} {{ strftime_now('%A %B %-d %H:%M:%S %j %p %y') }}"))
                .isEqualTo("05 Sep 2024 Thursday September 5 10:00:00 249 AM 24");
        assertThat(render("{{ strftime_now('%z|%Z|%c|%x|%X|%I|%e|%D|%F|%T|%u|%w|%h|%%|%q') }}"))
                .isEqualTo("||Thu Sep  5 10:00:00 2024|09/05/24|10:00:00|10| 5|09/05/24|2024-09-05|10:00:00|4|4|Sep|%|%q");
    }

    @Test
    void generationBlocksRenderTheirBodyInTheirOwnScope() {
        assertThat(render("{% for m in messages %}{% generation %}{{ m.role[0] }}{% set z = 1 %}{% endgeneration %}"
                + "{% endfor %}{{ z is defined }}")).isEqualTo("suauFalse");
    }

    @Test
    void variablesMayBeJavaValues() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("n", 3);
        variables.put("f", 0.5f);
        variables.put("items", List.of("a", "b"));
        variables.put("nothing", null);
        assertThat(JinjaTemplate.parse("{{ n * 2 }} {{ f }} {{ items | join }} {{ nothing is none }}").render(variables))
                .isEqualTo("6 0.5 ab True");
    }
}
