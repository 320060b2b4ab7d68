package io.github.infer4j.gguf;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One metadata value. Scalars are boxed as: {@code Integer} for uint8, int8, uint16, int16 and int32; {@code Long}
 * for uint32, int64 and uint64 (uint64 keeps its 64 bits, so values from 2^63 read as negative); {@code Float},
 * {@code Double}, {@code Boolean}, {@code String}. Arrays carry their {@link #elementType()} and are held as
 * {@code List<String>}, {@code int[]} (int8..int32, uint8, uint16), {@code long[]} (uint32, int64, uint64),
 * {@code float[]}, {@code double[]} or {@code boolean[]}. The constructor checks that the Java value matches the
 * type and its range, so every value can be written back; primitive arrays are copied in and out.
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type == GgufValueType.ARRAY) {
            if (elementType == null || elementType == GgufValueType.ARRAY) {
                throw new IllegalArgumentException("an array needs a non-array element type, got " + elementType);
            }
            value = checkedArray(elementType, value);
        } else {
            if (elementType != null) {
                throw new IllegalArgumentException("only arrays have an element type, got " + elementType + " for " + type);
            }
            checkScalar(type, value);
        }
    }

    /** The value; primitive arrays are returned as copies, string arrays as an unmodifiable list. */
    @Override
    public Object value() {
        return copyIfArray(value);
    }

    public boolean isArray() {
        return type == GgufValueType.ARRAY;
    }

    /** Element count of an array value; 1 for scalars. */
    public int length() {
        return switch (value) {
            case List<?> l -> l.size();
            case int[] a -> a.length;
            case long[] a -> a.length;
            case float[] a -> a.length;
            case double[] a -> a.length;
            case boolean[] a -> a.length;
            default -> 1;
        };
    }

    /** How the type reads in messages, e.g. {@code uint32} or {@code array of string}. */
    public String typeName() {
        return isArray() ? "array of " + elementType : type.toString();
    }

    /** Read without copying, for this package's getters and writer. */
    Object raw() {
        return value;
    }

    private static void checkScalar(GgufValueType type, Object value) {
        boolean ok = switch (type) {
            case UINT8 -> value instanceof Integer i && i >= 0 && i <= 0xFF;
            case INT8 -> value instanceof Integer i && i >= Byte.MIN_VALUE && i <= Byte.MAX_VALUE;
            case UINT16 -> value instanceof Integer i && i >= 0 && i <= 0xFFFF;
            case INT16 -> value instanceof Integer i && i >= Short.MIN_VALUE && i <= Short.MAX_VALUE;
            case INT32 -> value instanceof Integer;
            case UINT32 -> value instanceof Long l && l >= 0 && l <= 0xFFFF_FFFFL;
            case INT64, UINT64 -> value instanceof Long;
            case FLOAT32 -> value instanceof Float;
            case FLOAT64 -> value instanceof Double;
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
            case ARRAY -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException(describe(value) + " is not a valid " + type + " value");
        }
    }

    private static Object checkedArray(GgufValueType elementType, Object value) {
        switch (elementType) {
            case UINT8, INT8, UINT16, INT16, INT32 -> {
                if (value instanceof int[] a) {
                    for (int v : a) {
                        checkScalar(elementType, v);
                    }
                    return a.clone();
                }
            }
            case UINT32, INT64, UINT64 -> {
                if (value instanceof long[] a) {
                    for (long v : a) {
                        checkScalar(elementType, v);
                    }
                    return a.clone();
                }
            }
            case FLOAT32 -> {
                if (value instanceof float[] a) {
                    return a.clone();
                }
            }
            case FLOAT64 -> {
                if (value instanceof double[] a) {
                    return a.clone();
                }
            }
            case BOOL -> {
                if (value instanceof boolean[] a) {
                    return a.clone();
                }
            }
            case STRING -> {
                if (value instanceof List<?> l) {
                    for (Object o : l) {
                        if (!(o instanceof String)) {
                            throw new IllegalArgumentException("array of string holds " + describe(o));
                        }
                    }
                    return List.copyOf(l);
                }
            }
            case ARRAY -> throw new IllegalArgumentException("nested arrays are not supported");
        }
        throw new IllegalArgumentException(describe(value) + " cannot hold an array of " + elementType);
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName() + " " + o;
    }

    private static Object copyIfArray(Object o) {
        return switch (o) {
            case int[] a -> a.clone();
            case long[] a -> a.clone();
            case float[] a -> a.clone();
            case double[] a -> a.clone();
            case boolean[] a -> a.clone();
            default -> o;
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GgufValue v && type == v.type && elementType == v.elementType
                && Objects.deepEquals(value, v.value);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(type, elementType) + Arrays.deepHashCode(new Object[] {value});
    }

    /** Shows at most the first 16 elements: vocabularies hold 100k+ entries and must not flood a log line. */
    @Override
    public String toString() {
        int shown = Math.min(length(), 16);
        String body = switch (value) {
            case int[] a -> Arrays.toString(Arrays.copyOf(a, shown));
            case long[] a -> Arrays.toString(Arrays.copyOf(a, shown));
            case float[] a -> Arrays.toString(Arrays.copyOf(a, shown));
            case double[] a -> Arrays.toString(Arrays.copyOf(a, shown));
            case boolean[] a -> Arrays.toString(Arrays.copyOf(a, shown));
            case List<?> l -> l.subList(0, shown).toString();
            default -> String.valueOf(value);
        };
        return typeName() + " " + (shown < length() ? body + " ... (" + length() + " elements)" : body);
    }
}
