package io.github.infer4j.gguf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order. Typed getters convert between compatible types (any integer
 * that fits, integers and float64 to float) and fail with a {@link GgufFormatException} naming the file, the key and
 * the expected type when the key is missing or its value cannot be read as asked. Getters with a default return it
 * only when the key is absent: a key that is present with the wrong type is still an error.
 */
public final class GgufMetadata {
    private final Path file;
    private final Map<String, GgufValue> values;
    private final Map<String, Long> offsets;

    GgufMetadata(Path file, LinkedHashMap<String, GgufValue> values, Map<String, Long> offsets) {
        this.file = file;
        this.values = Collections.unmodifiableMap(values);
        this.offsets = offsets;
    }

    /**
     * Metadata made in memory rather than read from a GGUF file: what a loader produces when it translates another
     * format (a Hugging Face folder) into GGUF keys, so that the architectures and tokenizers read it unchanged.
     * {@code origin} is the file or folder error messages name; the keys have no byte offsets.
     */
    public static GgufMetadata of(Path origin, Map<String, GgufValue> values) {
        return new GgufMetadata(origin, new LinkedHashMap<>(values), Map.of());
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    public Optional<GgufValue> find(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * An exception about {@code key} in this file's words, for callers that find a value well-typed but unusable
     * (say, a zero layer count).
     */
    public GgufFormatException invalid(String key, String problem) {
        return new GgufFormatException(file, key, offsets.getOrDefault(key, -1L), problem);
    }

    public String getString(String key) {
        return javaValue(key, "string", String.class);
    }

    public String getString(String key, String dflt) {
        return contains(key) ? getString(key) : dflt;
    }

    public int getInt(String key) {
        return intValue(key, require(key, "integer"));
    }

    public int getInt(String key, int dflt) {
        return contains(key) ? getInt(key) : dflt;
    }

    public long getLong(String key) {
        return longValue(key, require(key, "integer"));
    }

    public long getLong(String key, long dflt) {
        return contains(key) ? getLong(key) : dflt;
    }

    public float getFloat(String key) {
        return floatValue(key, require(key, "number"));
    }

    public float getFloat(String key, float dflt) {
        return contains(key) ? getFloat(key) : dflt;
    }

    public boolean getBoolean(String key) {
        return javaValue(key, "bool", Boolean.class);
    }

    public boolean getBoolean(String key, boolean dflt) {
        return contains(key) ? getBoolean(key) : dflt;
    }

    /** An array of strings, unmodifiable. */
    @SuppressWarnings("unchecked")
    public List<String> getStringList(String key) {
        GgufValue v = require(key, "array of string");
        if (v.elementType() != GgufValueType.STRING) {
            throw wrongType(key, "array of string", v);
        }
        return (List<String>) v.raw();
    }

    /** An array of float32 (or float64, narrowed), as a fresh array. */
    public float[] getFloatArray(String key) {
        GgufValue v = require(key, "array of float32");
        return switch (v.raw()) {
            case float[] a -> a.clone();
            case double[] a -> {
                float[] out = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = (float) a[i];
                }
                yield out;
            }
            default -> throw wrongType(key, "array of float32", v);
        };
    }

    /** An array of any integer type whose every element fits in an int, as a fresh array. */
    public int[] getIntArray(String key) {
        GgufValue v = require(key, "array of int32");
        return switch (v.raw()) {
            case int[] a -> a.clone();
            case long[] a -> {
                int[] out = new int[a.length];
                for (int i = 0; i < a.length; i++) {
                    if (a[i] != (int) a[i] || (v.elementType() == GgufValueType.UINT64 && a[i] < 0)) {
                        throw invalid(key, "element " + i + " of the " + v.typeName() + " is "
                                + unsigned(v.elementType(), a[i]) + ", which does not fit in an int32");
                    }
                    out[i] = (int) a[i];
                }
                yield out;
            }
            default -> throw wrongType(key, "array of int32", v);
        };
    }

    private GgufValue require(String key, String expected) {
        GgufValue v = values.get(key);
        if (v == null) {
            throw new GgufFormatException(file, key, -1, "missing key, expected " + expected);
        }
        return v;
    }

    /** For strings and bools, which convert from nothing else: the value of {@code key} if held as a {@code type}. */
    private <T> T javaValue(String key, String expected, Class<T> type) {
        GgufValue v = require(key, expected);
        if (type.isInstance(v.raw())) {
            return type.cast(v.raw());
        }
        throw wrongType(key, expected, v);
    }

    private int intValue(String key, GgufValue v) {
        long l = longValue(key, v);
        if (l != (int) l) {
            throw invalid(key, "expected a value that fits in an int32, found " + v.type() + " "
                    + unsigned(v.type(), l));
        }
        return (int) l;
    }

    private long longValue(String key, GgufValue v) {
        if (!v.type().isInteger()) {
            throw wrongType(key, "integer", v);
        }
        long l = ((Number) v.raw()).longValue();
        if (v.type() == GgufValueType.UINT64 && l < 0) {
            throw invalid(key, "expected a value that fits in an int64, found uint64 " + Long.toUnsignedString(l));
        }
        return l;
    }

    private float floatValue(String key, GgufValue v) {
        if (v.type().isInteger()) {
            long l = ((Number) v.raw()).longValue();
            return v.type() == GgufValueType.UINT64 && l < 0 ? Float.parseFloat(Long.toUnsignedString(l)) : l;
        }
        if (v.type() == GgufValueType.FLOAT32 || v.type() == GgufValueType.FLOAT64) {
            return ((Number) v.raw()).floatValue();
        }
        throw wrongType(key, "number", v);
    }

    private GgufFormatException wrongType(String key, String expected, GgufValue v) {
        return invalid(key, "expected " + expected + ", found " + v.typeName());
    }

    private static String unsigned(GgufValueType type, long value) {
        return type == GgufValueType.UINT64 ? Long.toUnsignedString(value) : Long.toString(value);
    }

    @Override
    public String toString() {
        return "GgufMetadata" + values.keySet();
    }
}
