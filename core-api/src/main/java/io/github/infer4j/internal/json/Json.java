package io.github.infer4j.internal.json;

import io.github.infer4j.Infer4jException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JSON documents (RFC 8259) strictly: no comments, trailing commas, single quotes, NaN or duplicate keys, and
 * text must be valid UTF-8. One leading byte order mark is tolerated because some editors write it. Nesting is
 * limited to {@link #MAX_DEPTH} levels so that a hostile document cannot overflow the stack; the size of what is
 * parsed is bounded by the caller ({@link #readObject} takes a limit). Numbers are kept as {@code Long} when they
 * are integers that fit, else as {@code Double}.
 */
public final class Json {
    /** Deepest nesting of objects and arrays accepted; model files need fewer than ten levels. */
    public static final int MAX_DEPTH = 128;

    private Json() {
    }

    /** {@code text} as a JSON string, in quotes. */
    public static String quoted(String text) {
        return appendQuoted(new StringBuilder(text.length() + 2), text, false).toString();
    }

    /**
     * Appends {@code text} as a JSON string, in quotes: quote and backslash escaped, control characters by their
     * short escape where JSON has one (newline, tab, ...) and by a hexadecimal one otherwise, and with
     * {@code asciiOnly} every character above 0x7E by a hexadecimal escape too (Python's {@code ensure_ascii}).
     * Returns {@code out}.
     */
    public static StringBuilder appendQuoted(StringBuilder out, String text, boolean asciiOnly) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || asciiOnly && c > 0x7E) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /**
     * Reads {@code file}, which must hold a JSON object and be at most {@code maxBytes} long. Errors name the file.
     *
     * @throws JsonException when the file is too large or not a valid JSON object
     * @throws Infer4jException when the file cannot be read
     */
    public static JsonObject readObject(Path file, long maxBytes) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new JsonException(file.toString(), "the file is " + size + " bytes, more than the "
                        + maxBytes + " bytes accepted for it");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Infer4jException(file + ": no such file", e);
        } catch (IOException e) {
            throw new Infer4jException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parseObject(bytes, file.toString());
    }

    /** Parses UTF-8 bytes holding a JSON object; {@code source} names the document in error messages. */
    public static JsonObject parseObject(byte[] utf8, String source) {
        return parseObject(decode(utf8, source), source);
    }

    /** Parses a JSON object; {@code source} names the document in error messages. */
    public static JsonObject parseObject(String text, String source) {
        JsonParser parser = new JsonParser(text, source);
        if (!parser.startsWithObject()) {
            throw new JsonException(source, "expected a JSON object at the top level");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) parser.document();
        return new JsonObject(members, source, "");
    }

    private static String decode(byte[] utf8, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new JsonException(source, "byte " + in.position() + " is not valid UTF-8");
        }
        out.flip();
        String text = out.toString();
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }
}
