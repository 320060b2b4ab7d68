package io.github.infer4j.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
    @TempDir
    Path dir;

    private static JsonObject parse(String text) {
        return Json.parseObject(text, "doc.json");
    }

    @Test
    void stringsAreQuotedWithQuotesBackslashesAndControlCharactersEscaped() {
        assertThat(Json.quoted("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
        assertThat(Json.appendQuoted(new StringBuilder("x"), "\u00e9\t", true).toString()).isEqualTo("x\"\\u00e9\\t\"");
        assertThat(Json.quoted("\u00e9")).isEqualTo("\"\u00e9\"");
    }

    @Test
    void readsEveryKindOfValue() {
        JsonObject o = parse("""
                { "s": "text", "i": -42, "big": 12345678901234, "f": 2.5e-3, "t": true, "n": null,
                  "a": [1, "two", [3], {"four": 4}], "o": {"nested": {"deep": "yes"}}, "empty": {}, "none": [] }""");
        assertThat(o.keys()).containsExactly("s", "i", "big", "f", "t", "n", "a", "o", "empty", "none");
        assertThat(o.getString("s")).isEqualTo("text");
        assertThat(o.getInt("i")).isEqualTo(-42);
        assertThat(o.getLong("big")).isEqualTo(12345678901234L);
        assertThat(o.getDouble("f")).isEqualTo(2.5e-3);
        assertThat(o.getBoolean("t")).isTrue();
        assertThat(o.typeOf("n")).isEqualTo(JsonType.NULL);
        assertThat(o.has("n")).isFalse();
        JsonArray a = o.getArray("a");
        assertThat(a.size()).isEqualTo(4);
        assertThat(a.getInt(0)).isEqualTo(1);
        assertThat(a.getString(1)).isEqualTo("two");
        assertThat(a.getArray(2).getInt(0)).isEqualTo(3);
        assertThat(a.getObject(3).getInt("four")).isEqualTo(4);
        assertThat(o.getObject("o").getObject("nested").getString("deep")).isEqualTo("yes");
        assertThat(o.getObject("empty").size()).isZero();
        assertThat(o.getArray("none").size()).isZero();
    }

    @Test
    void decodesEveryEscape() {
        JsonObject o = parse("{\"e\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\uD83D\\ude00 \\u0120\"}");
        assertThat(o.getString("e")).isEqualTo("q\" b\\ s/ \b\f\n\r\t é 😀 Ġ");
    }

    @Test
    void keepsNonAsciiTextAsIs() {
        byte[] utf8 = "{\"▁the\": 1, \"收\": 2, \"😀\": 3}".getBytes(StandardCharsets.UTF_8);
        JsonObject o = Json.parseObject(utf8, "doc.json");
        assertThat(o.keys()).containsExactly("▁the", "收", "😀");
    }

    @Test
    void numbersKeepIntegersExactAndAcceptIntegralFloatsAsIntegers() {
        JsonObject o = parse("{\"max\": 9223372036854775807, \"min\": -9223372036854775808, \"two\": 2.0, "
                + "\"huge\": 18446744073709551616, \"zero\": -0, \"exp\": 1E2}");
        assertThat(o.getLong("max")).isEqualTo(Long.MAX_VALUE);
        assertThat(o.getLong("min")).isEqualTo(Long.MIN_VALUE);
        assertThat(o.getInt("two")).isEqualTo(2);
        assertThat(o.getInt("exp")).isEqualTo(100);
        assertThat(o.getInt("zero")).isZero();
        assertThat(o.getDouble("huge")).isEqualTo(1.8446744073709552E19);
        assertThatThrownBy(() -> o.getLong("huge")).isInstanceOf(JsonException.class)
                .hasMessageContaining("huge: expected an integer that fits in 64 bits");
        assertThatThrownBy(() -> o.getInt("max")).hasMessageContaining("max: expected an integer that fits in 32 bits");
    }

    @Test
    void defaultsApplyToMissingAndNullMembersOnly() {
        JsonObject o = parse("{\"n\": null, \"s\": \"x\"}");
        assertThat(o.getInt("n", 7)).isEqualTo(7);
        assertThat(o.getInt("missing", 8)).isEqualTo(8);
        assertThat(o.getString("n", "d")).isEqualTo("d");
        assertThat(o.findObject("n")).isEmpty();
        assertThatThrownBy(() -> o.getInt("s", 1)).isInstanceOf(JsonException.class)
                .hasMessage("doc.json: s: expected an integer, found string");
    }

    @Test
    void typeErrorsNameThePathOfTheValue() {
        JsonObject o = parse("{\"model\": {\"merges\": [\"a b\", 3], \"vocab\": null}}");
        JsonArray merges = o.getObject("model").getArray("merges");
        assertThatThrownBy(() -> merges.getString(1)).isInstanceOf(JsonException.class)
                .hasMessage("doc.json: model.merges[1]: expected a string, found number 3");
        assertThatThrownBy(() -> o.getObject("model").getObject("vocab"))
                .hasMessage("doc.json: model.vocab: expected an object, found null");
        assertThatThrownBy(() -> o.getObject("model").getString("type"))
                .hasMessage("doc.json: model.type: expected a string, found nothing (the member is missing)");
        assertThatThrownBy(() -> o.getBoolean("model"))
                .hasMessage("doc.json: model: expected true or false, found object");
        assertThat(o.getObject("model").invalid("type", "unsupported")).hasMessage("doc.json: model.type: unsupported");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\": 1,}                 | line 1, column 9: expected a member name in double quotes, found '}'",
        "{\"a\": [1, 2,]}            | line 1, column 13: unexpected ']', expected a value",
        "{\"a\": 1 // note\\n}        | line 1, column 9: expected ',' or '}' after a member, found '/'",
        "{'a': 1}                    | line 1, column 2: expected a member name in double quotes, found '''",
        "{\"a\": NaN}                | line 1, column 7: unexpected 'N', expected a value",
        "{\"a\": 01}                 | line 1, column 8: expected ',' or '}' after a member, found '1'",
        "{\"a\": 1.}                 | line 1, column 9: invalid number: expected a digit after the decimal point",
        "{\"a\": .5}                 | line 1, column 7: unexpected '.', expected a value",
        "{\"a\": +1}                 | line 1, column 7: unexpected '+', expected a value",
        "{\"a\": 1e}                 | line 1, column 9: invalid number: expected a digit in the exponent",
        "{\"a\": -}                  | line 1, column 8: invalid number: expected a digit",
        "{\"a\": 1e999}              | line 1, column 7: number 1e999 is too large",
        "{\"a\": tru}                | line 1, column 7: unexpected 't', expected a value",
        "{\"a\": \"x\\q\"}           | line 1, column 9: invalid escape 'q' in a string",
        "{\"a\": \"\\u12G4\"}        | line 1, column 12: \\u must be followed by four hexadecimal digits, found 'G'",
        "{\"a\": \"\\u12\"}          | line 1, column 12: \\u must be followed by four hexadecimal digits, found '\"'",
        "{\"a\": \"\\u12                | line 1, column 8: unterminated \\u escape",
        "{\"a\": \"open}             | line 1, column 13: unterminated string",
        "{\"a\": 1, \"a\": 2}        | line 1, column 10: duplicate member name \"a\"",
        "{\"a\": 1} x                | line 1, column 10: unexpected 'x' after the end of the document",
        "{\"a\" 1}                   | line 1, column 6: expected ':' after the member name \"a\", found '1'",
        "{\"a\": 1                   | line 1, column 8: unexpected end of the document inside an object",
        "{\"a\": [1                  | line 1, column 9: unexpected end of the document inside an array",
        "{\\n  \"a\": 1,\\n  \"b\" 2\\n} | line 3, column 7: expected ':' after the member name \"b\", found '2'",
    })
    void rejectsWhatTheGrammarDoesNotAllow(String text, String message) {
        assertThatThrownBy(() -> parse(text.replace("\\n", "\n"))).isInstanceOf(JsonException.class)
                .hasMessage("doc.json: " + message);
    }

    @Test
    void rejectsUnescapedControlCharactersInStrings() {
        assertThatThrownBy(() -> parse("{\"a\": \"x\ty\"}")).isInstanceOf(JsonException.class)
                .hasMessage("doc.json: line 1, column 9: control character U+0009 must be escaped inside a string");
    }

    @Test
    void theTopLevelMustBeAnObject() {
        assertThatThrownBy(() -> parse("[1]")).hasMessage("doc.json: expected a JSON object at the top level");
        assertThatThrownBy(() -> parse("   ")).hasMessage("doc.json: expected a JSON object at the top level");
    }

    @Test
    void rejectsInvalidUtf8AndToleratesOneByteOrderMark() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThatThrownBy(() -> Json.parseObject(bad, "doc.json")).isInstanceOf(JsonException.class)
                .hasMessage("doc.json: byte 6 is not valid UTF-8");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertThat(Json.parseObject(bom, "doc.json").size()).isZero();
    }

    @Test
    void nestingIsLimited() {
        String ok = "{\"a\":" + "[".repeat(Json.MAX_DEPTH - 1) + "]".repeat(Json.MAX_DEPTH - 1) + "}";
        assertThat(parse(ok).getArray("a").size()).isEqualTo(1);
        // Deep enough to overflow a recursive parser's stack if it had no limit.
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(JsonException.class)
                .hasMessageContaining("nested more than " + Json.MAX_DEPTH + " deep");
    }

    @Test
    void readObjectEnforcesItsSizeLimitAndNamesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 64}");
        assertThat(Json.readObject(file, 100).getInt("hidden_size")).isEqualTo(64);
        assertThatThrownBy(() -> Json.readObject(file, 10)).isInstanceOf(JsonException.class)
                .hasMessage(file + ": the file is 19 bytes, more than the 10 bytes accepted for it");
        assertThatThrownBy(() -> Json.readObject(dir.resolve("absent.json"), 10))
                .hasMessage(dir.resolve("absent.json") + ": no such file");
    }

    /** Random documents written by Jackson read back as Jackson reads them. */
    @Test
    void agreesWithJacksonOnRandomDocuments() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 300; round++) {
            Map<String, Object> document = randomObject(random, 0);
            String text = random.nextBoolean() ? mapper.writeValueAsString(document)
                    : mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document);
            JsonObject parsed = parse(text);
            assertThat(toPlain(parsed)).as(text).isEqualTo(normalize(mapper.readValue(text, Map.class)));
        }
    }

    private static Map<String, Object> randomObject(SplittableRandom random, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            map.put(randomString(random) + i, randomValue(random, depth + 1));
        }
        return map;
    }

    private static Object randomValue(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 4 ? 5 : 7);
        return switch (kind) {
            case 0 -> randomString(random);
            case 1 -> random.nextLong();
            case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(-20, 20));
            case 3 -> random.nextBoolean();
            case 4 -> null;
            case 5 -> randomObject(random, depth);
            default -> {
                List<Object> list = new ArrayList<>();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
        };
    }

    private static String randomString(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> random.nextInt(0x20, 0x80);
                case 2 -> random.nextInt(0x80, 0xD800);
                default -> random.nextInt(0x10000, 0x110000);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static Object toPlain(Object node) {
        if (node instanceof JsonObject o) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (String key : o.keys()) {
                map.put(key, toPlain(member(o, key)));
            }
            return map;
        }
        if (node instanceof JsonArray a) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                list.add(toPlain(element(a, i)));
            }
            return list;
        }
        return node;
    }

    private static Object member(JsonObject o, String key) {
        return switch (o.typeOf(key)) {
            case OBJECT -> o.getObject(key);
            case ARRAY -> o.getArray(key);
            case STRING -> o.getString(key);
            case NUMBER -> o.getDouble(key);
            case BOOLEAN -> o.getBoolean(key);
            case NULL -> null;
        };
    }

    private static Object element(JsonArray a, int i) {
        return switch (a.typeOf(i)) {
            case OBJECT -> a.getObject(i);
            case ARRAY -> a.getArray(i);
            case STRING -> a.getString(i);
            case NUMBER -> a.getDouble(i);
            case BOOLEAN -> a.getBoolean(i);
            case NULL -> null;
        };
    }

    /** Jackson's numbers as doubles, so both sides compare by value. */
    private static Object normalize(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> map = new LinkedHashMap<>();
            m.forEach((k, v) -> map.put((String) k, normalize(v)));
            return map;
        }
        if (value instanceof List<?> l) {
            List<Object> list = new ArrayList<>();
            l.forEach(v -> list.add(normalize(v)));
            return list;
        }
        return value instanceof Number n ? n.doubleValue() : value;
    }
}
