package io.github.infer4j.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Hand-assembles GGUF bytes, remembering where named fields start so that tests can corrupt exactly one field.
 * Deliberately independent of {@link GgufWriter}: the reader's tests must not trust the code under test.
 */
final class GgufBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> marks = new HashMap<>();

    GgufBytes mark(String name) {
        marks.put(name, out.size());
        return this;
    }

    int at(String name) {
        Integer at = marks.get(name);
        if (at == null) {
            throw new IllegalArgumentException("no mark " + name);
        }
        return at;
    }

    int size() {
        return out.size();
    }

    GgufBytes u8(int v) {
        out.write(v);
        return this;
    }

    GgufBytes u16(int v) {
        return u8(v).u8(v >>> 8);
    }

    GgufBytes u32(long v) {
        return u16((int) v).u16((int) (v >>> 16));
    }

    GgufBytes u64(long v) {
        return u32(v).u32(v >>> 32);
    }

    GgufBytes f32(float v) {
        return u32(Float.floatToRawIntBits(v));
    }

    GgufBytes f64(double v) {
        return u64(Double.doubleToRawLongBits(v));
    }

    GgufBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        out.writeBytes(b);
        return this;
    }

    GgufBytes raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    GgufBytes padTo(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return this;
    }

    byte[] toArray() {
        return out.toByteArray();
    }

    /** Overwrites little-endian {@code width} bytes at {@code offset} of {@code file} with {@code value}. */
    static void put(byte[] file, int offset, int width, long value) {
        for (int i = 0; i < width; i++) {
            file[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
