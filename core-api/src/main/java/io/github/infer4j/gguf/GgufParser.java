package io.github.infer4j.gguf;

import io.github.infer4j.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a GGUF header (versions 2 and 3, little-endian). Every read is bounds-checked against the
 * file, and every count read from the file is checked against the bytes left before anything is sized by it, so a
 * corrupt or hostile file ends in a {@link GgufFormatException} and never in an OutOfMemoryError or a long loop.
 */
final class GgufParser {
    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian int
    static final int DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    static final int MAX_DIMS = 4;

    /** Java arrays cannot be longer than this; larger counts could never be honoured. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Smallest metadata entry: empty key (8-byte length), value type, one-byte value. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    /** Smallest tensor info: empty name, n_dims, one dim, type, offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** ggml's type names by id, so that an unsupported type is reported by the name users know. */
    private static final String[] GGML_TYPE_NAMES = {
        "F32", "F16", "Q4_0", "Q4_1", null, null, "Q5_0", "Q5_1", "Q8_0", "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K",
        "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16",
        "I32", "I64", "F64", "IQ1_M", "BF16", null, null, null, "TQ1_0", "TQ2_0", null, null, null, "MXFP4"
    };

    record Header(int version, int alignment, long dataOffset, GgufMetadata metadata, List<GgufTensorInfo> tensors) {
    }

    private final Path file;
    private final MemorySegment data;
    private final long size;
    private long pos;

    private GgufParser(Path file, MemorySegment data) {
        this.file = file;
        this.data = data;
        this.size = data.byteSize();
    }

    static Header parse(Path file, MemorySegment data) {
        return new GgufParser(file, data).header();
    }

    private Header header() {
        if (size == 0) {
            throw fail("magic", 0, "the file is empty; a GGUF file starts with the bytes 'GGUF'");
        }
        int magic = u32("magic");
        if (magic != MAGIC) {
            throw fail("magic", 0, "not a GGUF file: starts with " + printable(magic) + ", expected 'GGUF'");
        }
        int version = u32("version");
        if (version != 2 && version != 3) {
            String hint = Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3
                    ? " (this looks like a big-endian file, which Infer4j does not read)" : "";
            throw fail("version", 4, "unsupported GGUF version " + Integer.toUnsignedString(version)
                    + ", expected 2 or 3" + hint);
        }
        long tensorCount = count("tensor_count", MIN_TENSOR_INFO_BYTES);
        long kvCount = count("metadata_kv_count", MIN_KV_BYTES);

        LinkedHashMap<String, GgufValue> values = new LinkedHashMap<>();
        Map<String, Long> keyOffsets = new HashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long keyAt = pos;
            String key = string("metadata key #" + i);
            if (values.containsKey(key)) {
                throw fail(key, keyAt, "duplicate metadata key (first at byte " + keyOffsets.get(key) + ")");
            }
            long typeAt = pos;
            GgufValueType type = valueType(key + " value type", typeAt);
            values.put(key, value(key, type));
            keyOffsets.put(key, keyAt);
        }
        GgufMetadata metadata = new GgufMetadata(file, values, keyOffsets);
        int alignment = alignment(metadata, values.get(ALIGNMENT_KEY));

        // Lists grow with what is actually parsed: sizing them by the untrusted count could exhaust the heap.
        List<Placed> placed = new ArrayList<>();
        Map<String, Long> nameAt = new HashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            long at = pos;
            String name = string("tensor #" + i + " name");
            Long previous = nameAt.putIfAbsent(name, at);
            if (previous != null) {
                throw fail("tensor " + name, at, "duplicate tensor name (first at byte " + previous + ")");
            }
            placed.add(tensorInfo(name, alignment));
        }
        long dataOffset = alignUp(pos, alignment);
        checkPlacement(placed, dataOffset);
        List<GgufTensorInfo> tensors = new ArrayList<>(placed.size());
        for (Placed p : placed) {
            tensors.add(p.info());
        }
        return new Header(version, alignment, dataOffset, metadata, Collections.unmodifiableList(tensors));
    }

    /** A tensor info and where its offset field lies, to point at it if the placement turns out wrong. */
    private record Placed(GgufTensorInfo info, long offsetFieldAt) {
    }

    private Placed tensorInfo(String name, int alignment) {
        String field = "tensor " + name;
        long nDimsAt = pos;
        long nDims = Integer.toUnsignedLong(u32(field + " n_dims"));
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw fail(field + " n_dims", nDimsAt, "must be 1.." + MAX_DIMS + ", got " + nDims);
        }
        long[] dims = new long[(int) nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            long dimAt = pos;
            dims[d] = u64(field + " dims[" + d + "]");
            if (dims[d] <= 0) {
                throw fail(field + " dims[" + d + "]", dimAt, "must be positive, got " + Long.toUnsignedString(dims[d]));
            }
            try {
                elements = Math.multiplyExact(elements, dims[d]);
            } catch (ArithmeticException e) {
                throw fail(field + " dims", nDimsAt + 4, "element count of " + Arrays.toString(dims)
                        + " overflows 64 bits");
            }
        }
        long typeAt = pos;
        int typeId = u32(field + " type");
        DType type = DType.fromGgmlId(typeId);
        if (type == null) {
            throw fail(field + " type", typeAt, "ggml type id " + Integer.toUnsignedString(typeId) + " "
                    + ggmlTypeName(typeId) + " is not supported (Infer4j reads " + Arrays.toString(DType.values()) + ")");
        }
        if (dims[0] % type.blockSize() != 0) {
            throw fail(field + " dims[0]", nDimsAt + 4, "row length " + dims[0] + " is not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
        try {
            type.bytesFor(elements);
        } catch (ArithmeticException e) {
            throw fail(field + " dims", nDimsAt + 4, "byte size of " + type + " " + Arrays.toString(dims)
                    + " overflows 64 bits");
        }
        long offsetAt = pos;
        long offset = u64(field + " offset");
        if (offset < 0 || offset % alignment != 0) {
            throw fail(field + " offset", offsetAt, "data offset " + Long.toUnsignedString(offset)
                    + " is not a multiple of the alignment " + alignment);
        }
        return new Placed(new GgufTensorInfo(name, type, dims, offset), offsetAt);
    }

    /** Every tensor must lie inside the data section, and no two may share a byte. */
    private void checkPlacement(List<Placed> placed, long dataOffset) {
        long available = size - dataOffset; // negative when even the padding is missing
        for (Placed p : placed) {
            GgufTensorInfo t = p.info();
            if (t.offset() > available || t.byteSize() > available - t.offset()) {
                throw fail("tensor " + t.name() + " offset", p.offsetFieldAt(), "data [" + t.offset() + ", "
                        + (t.offset() + t.byteSize()) + ") of the data section lies beyond the end of the file ("
                        + size + " bytes, data section at byte " + dataOffset + ")");
            }
        }
        List<Placed> byOffset = new ArrayList<>(placed);
        byOffset.sort((a, b) -> Long.compare(a.info().offset(), b.info().offset()));
        for (int k = 1; k < byOffset.size(); k++) {
            GgufTensorInfo before = byOffset.get(k - 1).info();
            GgufTensorInfo t = byOffset.get(k).info();
            if (before.offset() + before.byteSize() > t.offset()) {
                throw fail("tensor " + t.name() + " offset", byOffset.get(k).offsetFieldAt(), "data starting at "
                        + t.offset() + " overlaps tensor " + before.name() + " at [" + before.offset() + ", "
                        + (before.offset() + before.byteSize()) + ")");
            }
        }
    }

    private int alignment(GgufMetadata metadata, GgufValue value) {
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (value.type() != GgufValueType.UINT32) {
            throw metadata.invalid(ALIGNMENT_KEY, "must be a uint32, found " + value.typeName());
        }
        long a = (Long) value.raw();
        if (!isValidAlignment(a)) {
            throw metadata.invalid(ALIGNMENT_KEY, "must be a power of two from 1 to 2^30, got " + a);
        }
        return (int) a;
    }

    /** Whether {@code a} is an alignment this parser accepts, so that the writer never writes one it would reject. */
    static boolean isValidAlignment(long a) {
        return a > 0 && a <= Integer.MAX_VALUE && Long.bitCount(a) == 1;
    }

    private GgufValue value(String key, GgufValueType type) {
        long at = pos;
        return switch (type) {
            case UINT8 -> new GgufValue(type, null, u8(key) & 0xFF);
            case INT8 -> new GgufValue(type, null, (int) u8(key));
            case UINT16 -> new GgufValue(type, null, u16(key) & 0xFFFF);
            case INT16 -> new GgufValue(type, null, (int) u16(key));
            case UINT32 -> new GgufValue(type, null, Integer.toUnsignedLong(u32(key)));
            case INT32 -> new GgufValue(type, null, u32(key));
            case UINT64, INT64 -> new GgufValue(type, null, u64(key));
            case FLOAT32 -> new GgufValue(type, null, Float.intBitsToFloat(u32(key)));
            case FLOAT64 -> new GgufValue(type, null, Double.longBitsToDouble(u64(key)));
            case BOOL -> new GgufValue(type, null, bool(key, at));
            case STRING -> new GgufValue(type, null, string(key));
            case ARRAY -> array(key);
        };
    }

    private GgufValue array(String key) {
        long typeAt = pos;
        GgufValueType element = valueType(key + " array element type", typeAt);
        if (element == GgufValueType.ARRAY) {
            throw fail(key + " array element type", typeAt, "arrays of arrays are not supported");
        }
        long countAt = pos;
        long count = u64(key + " array length");
        long remaining = size - pos;
        if (count < 0 || count > MAX_ARRAY || count > remaining / element.minBytes()) {
            throw fail(key + " array length", countAt, "an array of " + Long.toUnsignedString(count) + " "
                    + element + " values cannot fit in the " + remaining + " bytes left in the file");
        }
        int n = (int) count;
        Object values = switch (element) {
            case UINT8, INT8, BOOL -> {
                byte[] raw = new byte[n];
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, raw, 0, n);
                yield bytes(key, element, raw);
            }
            case UINT16, INT16 -> {
                short[] raw = new short[n];
                MemorySegment.copy(data, SHORT, pos, raw, 0, n);
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = element == GgufValueType.UINT16 ? raw[i] & 0xFFFF : raw[i];
                }
                yield out;
            }
            case INT32 -> copyInts(n);
            case UINT32 -> {
                int[] raw = copyInts(n);
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = Integer.toUnsignedLong(raw[i]);
                }
                yield out;
            }
            case INT64, UINT64 -> {
                long[] out = new long[n];
                MemorySegment.copy(data, LONG, pos, out, 0, n);
                yield out;
            }
            case FLOAT32 -> {
                float[] out = new float[n];
                MemorySegment.copy(data, FLOAT, pos, out, 0, n);
                yield out;
            }
            case FLOAT64 -> {
                double[] out = new double[n];
                MemorySegment.copy(data, DOUBLE, pos, out, 0, n);
                yield out;
            }
            case STRING -> {
                String[] out = new String[n];
                for (int i = 0; i < n; i++) {
                    out[i] = string(key + "[" + i + "]");
                }
                yield Arrays.asList(out);
            }
            case ARRAY -> throw new IllegalStateException("rejected above");
        };
        if (element != GgufValueType.STRING) {
            pos += count * element.minBytes();
        }
        return new GgufValue(GgufValueType.ARRAY, element, values);
    }

    private int[] copyInts(int n) {
        int[] out = new int[n];
        MemorySegment.copy(data, INT, pos, out, 0, n);
        return out;
    }

    private Object bytes(String key, GgufValueType element, byte[] raw) {
        if (element == GgufValueType.BOOL) {
            boolean[] out = new boolean[raw.length];
            for (int i = 0; i < raw.length; i++) {
                if ((raw[i] & ~1) != 0) {
                    throw fail(key + "[" + i + "]", pos + i, "a bool must be 0 or 1, got " + (raw[i] & 0xFF));
                }
                out[i] = raw[i] == 1;
            }
            return out;
        }
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = element == GgufValueType.UINT8 ? raw[i] & 0xFF : raw[i];
        }
        return out;
    }

    private GgufValueType valueType(String field, long at) {
        int id = u32(field);
        GgufValueType type = GgufValueType.fromId(id);
        if (type == null) {
            throw fail(field, at, "unknown value type " + Integer.toUnsignedString(id) + " (GGUF defines 0..12)");
        }
        return type;
    }

    private boolean bool(String field, long at) {
        byte b = u8(field);
        if ((b & ~1) != 0) {
            throw fail(field, at, "a bool must be 0 or 1, got " + (b & 0xFF));
        }
        return b == 1;
    }

    private String string(String field) {
        long at = pos;
        long length = u64(field + " length");
        long remaining = size - pos;
        if (length < 0 || length > remaining) {
            throw fail(field + " length", at, "string of " + Long.toUnsignedString(length)
                    + " bytes cannot fit in the " + remaining + " bytes left in the file");
        }
        if (length > MAX_ARRAY) {
            throw fail(field + " length", at, "string of " + length + " bytes is longer than Java can hold");
        }
        byte[] bytes = new byte[(int) length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, bytes, 0, bytes.length);
        pos += length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A header count, checked against the bytes that remain given the smallest size of one item. */
    private long count(String field, int minItemBytes) {
        long at = pos;
        long count = u64(field);
        long remaining = size - pos;
        if (count < 0 || count > MAX_ARRAY || count > remaining / minItemBytes) {
            throw fail(field, at, Long.toUnsignedString(count) + " entries cannot fit in the " + remaining
                    + " bytes left in the file (each takes at least " + minItemBytes + ")");
        }
        return count;
    }

    private byte u8(String field) {
        return data.get(ValueLayout.JAVA_BYTE, take(1, field));
    }

    private short u16(String field) {
        return data.get(SHORT, take(2, field));
    }

    private int u32(String field) {
        return data.get(INT, take(4, field));
    }

    private long u64(String field) {
        return data.get(LONG, take(8, field));
    }

    /** Moves past the next {@code bytes} bytes, failing if the file ends before them; returns where they start. */
    private long take(int bytes, String field) {
        if (size - pos < bytes) {
            throw fail(field, pos, "the file is truncated: needs " + bytes + " bytes, only " + (size - pos)
                    + " left (file size " + size + ")");
        }
        long at = pos;
        pos += bytes;
        return at;
    }

    private GgufFormatException fail(String field, long at, String problem) {
        return new GgufFormatException(file, field, at, problem);
    }

    static long alignUp(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private static String ggmlTypeName(int id) {
        String name = id >= 0 && id < GGML_TYPE_NAMES.length ? GGML_TYPE_NAMES[id] : null;
        return name == null ? "(unknown to ggml)" : "(" + name + ")";
    }

    private static String printable(int magic) {
        return String.format("the bytes %02X %02X %02X %02X", magic & 0xFF, (magic >>> 8) & 0xFF,
                (magic >>> 16) & 0xFF, magic >>> 24);
    }
}
