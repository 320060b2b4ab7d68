package io.github.infer4j.safetensors;

import io.github.infer4j.internal.json.Json;
import io.github.infer4j.internal.json.JsonArray;
import io.github.infer4j.internal.json.JsonException;
import io.github.infer4j.internal.json.JsonObject;
import io.github.infer4j.internal.json.JsonType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a safetensors header: an unsigned 64-bit little-endian length {@code N}, then {@code N} bytes
 * of UTF-8 JSON mapping each tensor name to its dtype, shape and data offsets (plus an optional string-to-string
 * {@code __metadata__}), then the data section. Every tensor must lie inside the data section with exactly the bytes
 * its dtype and shape need, and no two tensors may share a byte; gaps between tensors are allowed. The header length
 * is bounded before anything is read, so a corrupt file fails with a {@link SafetensorsFormatException}.
 */
final class SafetensorsHeader {
    /** The bound the reference implementation puts on headers; real ones are a few hundred kilobytes at most. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    static final String METADATA_KEY = "__metadata__";

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Parsed(long dataOffset, Map<String, String> metadata, List<SafetensorsTensorInfo> tensors) {
    }

    private SafetensorsHeader() {
    }

    static Parsed parse(Path file, MemorySegment data) {
        long size = data.byteSize();
        if (size < 8) {
            throw new SafetensorsFormatException(file, "header length", "the file is " + size
                    + " bytes long; a safetensors file starts with an 8-byte header length");
        }
        long length = data.get(LONG, 0);
        if (length <= 0 || length > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(file, "header length", Long.toUnsignedString(length)
                    + " is not a plausible header length (1.." + MAX_HEADER_BYTES + " bytes)");
        }
        if (length > size - 8) {
            throw new SafetensorsFormatException(file, "header length", "the header of " + length
                    + " bytes does not fit in the file of " + size + " bytes");
        }
        byte[] json = data.asSlice(8, length).toArray(ValueLayout.JAVA_BYTE);
        JsonObject header;
        try {
            header = Json.parseObject(json, file.toString());
        } catch (JsonException e) {
            throw new SafetensorsFormatException(file, "header", e.detail());
        }
        long dataOffset = 8 + length;
        long dataSize = size - dataOffset;
        Map<String, String> metadata = Map.of();
        List<SafetensorsTensorInfo> tensors = new ArrayList<>();
        for (String name : header.keys()) {
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(file, header);
            } else {
                tensors.add(tensor(file, header, name, dataSize));
            }
        }
        checkNoOverlap(file, tensors);
        return new Parsed(dataOffset, metadata, Collections.unmodifiableList(tensors));
    }

    private static Map<String, String> metadata(Path file, JsonObject header) {
        if (header.typeOf(METADATA_KEY) != JsonType.OBJECT) {
            throw new SafetensorsFormatException(file, METADATA_KEY, "expected an object of strings, found "
                    + header.typeOf(METADATA_KEY));
        }
        JsonObject m = header.getObject(METADATA_KEY);
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : m.keys()) {
            if (m.typeOf(key) != JsonType.STRING) {
                throw new SafetensorsFormatException(file, METADATA_KEY + "." + key, "expected a string, found "
                        + m.typeOf(key));
            }
            values.put(key, m.getString(key));
        }
        return Collections.unmodifiableMap(values);
    }

    private static SafetensorsTensorInfo tensor(Path file, JsonObject header, String name, long dataSize) {
        String what = "tensor '" + name + "'";
        if (header.typeOf(name) != JsonType.OBJECT) {
            throw new SafetensorsFormatException(file, what, "expected an object with dtype, shape and data_offsets,"
                    + " found " + header.typeOf(name));
        }
        JsonObject entry = header.getObject(name);
        if (entry.typeOf("dtype") != JsonType.STRING) {
            throw new SafetensorsFormatException(file, what + " dtype", "expected a string, found "
                    + entry.typeOf("dtype"));
        }
        String dtypeName = entry.getString("dtype");
        SafetensorsDType dtype = SafetensorsDType.forName(dtypeName);
        if (dtype == null) {
            throw new SafetensorsFormatException(file, what + " dtype", "unknown dtype '" + dtypeName
                    + "'; safetensors defines " + Arrays.toString(SafetensorsDType.values()));
        }
        long[] shape = nonNegativeIntegers(file, what + " shape", entry, "shape", -1);
        long[] offsets = nonNegativeIntegers(file, what + " data_offsets", entry, "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end || end > dataSize) {
            throw new SafetensorsFormatException(file, what + " data_offsets", "[" + begin + ", " + end
                    + ") is not a range inside the data section of " + dataSize + " bytes");
        }
        long needed;
        try {
            needed = dtype.bytes();
            for (long d : shape) {
                needed = Math.multiplyExact(needed, d);
            }
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(file, what + " shape", "the byte size of " + dtypeName + " "
                    + Arrays.toString(shape) + " overflows 64 bits");
        }
        if (end - begin != needed) {
            throw new SafetensorsFormatException(file, what + " data_offsets", "[" + begin + ", " + end + ") holds "
                    + (end - begin) + " bytes, but " + dtypeName + " " + Arrays.toString(shape) + " needs " + needed);
        }
        return new SafetensorsTensorInfo(name, dtypeName, shape, begin, end);
    }

    /** An array of non-negative integers under {@code key}; of exactly {@code count} elements unless it is -1. */
    private static long[] nonNegativeIntegers(Path file, String what, JsonObject entry, String key, int count) {
        if (entry.typeOf(key) != JsonType.ARRAY) {
            throw new SafetensorsFormatException(file, what, "expected an array of integers, found "
                    + entry.typeOf(key));
        }
        JsonArray array = entry.getArray(key);
        if (count >= 0 && array.size() != count) {
            throw new SafetensorsFormatException(file, what, "expected " + count + " integers, found "
                    + array.size());
        }
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            long v;
            try {
                v = array.getLong(i);
            } catch (JsonException e) {
                throw new SafetensorsFormatException(file, what, "element " + i + " is not an integer that fits in"
                        + " 64 bits (" + array.typeOf(i) + ")");
            }
            if (v < 0) {
                throw new SafetensorsFormatException(file, what, "element " + i + " is negative: " + v);
            }
            values[i] = v;
        }
        return values;
    }

    private static void checkNoOverlap(Path file, List<SafetensorsTensorInfo> tensors) {
        List<SafetensorsTensorInfo> byBegin = new ArrayList<>();
        for (SafetensorsTensorInfo t : tensors) {
            if (t.byteSize() > 0) {
                byBegin.add(t);
            }
        }
        byBegin.sort(Comparator.comparingLong(SafetensorsTensorInfo::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            SafetensorsTensorInfo before = byBegin.get(i - 1);
            SafetensorsTensorInfo t = byBegin.get(i);
            if (t.begin() < before.end()) {
                throw new SafetensorsFormatException(file, "tensor '" + t.name() + "' data_offsets", "[" + t.begin()
                        + ", " + t.end() + ") overlaps tensor '" + before.name() + "' at [" + before.begin() + ", "
                        + before.end() + ")");
            }
        }
    }
}
