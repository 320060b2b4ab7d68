package io.github.infer4j.testkit;

import io.github.infer4j.tensor.DType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files as the Hugging Face libraries do: the header JSON padded with spaces to a multiple of 8
 * bytes, tensors packed one after another in the order added, shapes outermost first. For tests; everything is
 * held in memory until {@link #write}.
 */
public final class SafetensorsWriter {
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> tensors = new ArrayList<>();

    private record Entry(String name, String dtype, long[] shape, byte[] bytes) {
    }

    /** A {@code __metadata__} entry; the libraries write {@code format = pt}. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds {@code values} converted to F32, F16 or BF16 (rounded as ggml rounds); {@code shape} outermost first. */
    public SafetensorsWriter add(String name, DType type, long[] shape, float[] values) {
        if (type.isQuantized()) {
            throw new IllegalArgumentException("safetensors holds no " + type);
        }
        byte[] bytes = new byte[Math.toIntExact(type.bytesFor(values.length))];
        type.format().quantize(values, 0, values.length, MemorySegment.ofArray(bytes), 0);
        return addRaw(name, type.name(), shape, bytes);
    }

    /** Adds bytes as they are, under any dtype name, for files that must be exactly so. */
    public SafetensorsWriter addRaw(String name, String dtype, long[] shape, byte[] bytes) {
        tensors.add(new Entry(name, dtype, shape.clone(), bytes.clone()));
        return this;
    }

    /** Adds the bytes of {@code data} (little-endian already, as tensors are in memory). */
    public SafetensorsWriter addRaw(String name, String dtype, long[] shape, MemorySegment data) {
        return addRaw(name, dtype, shape, data.toArray(ValueLayout.JAVA_BYTE));
    }

    public Path write(Path file) {
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append("\"__metadata__\":{");
            String separator = "";
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                header.append(separator).append(JsonText.quote(e.getKey())).append(':')
                        .append(JsonText.quote(e.getValue()));
                separator = ",";
            }
            header.append('}');
        }
        long offset = 0;
        for (Entry t : tensors) {
            if (header.length() > 1) {
                header.append(',');
            }
            header.append(JsonText.quote(t.name())).append(":{\"dtype\":").append(JsonText.quote(t.dtype()))
                    .append(",\"shape\":").append(JsonText.longs(t.shape()))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + t.bytes().length)
                    .append("]}");
            offset += t.bytes().length;
        }
        header.append('}');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(lengthPrefix(padded));
            out.write(headerBytes);
            out.write(" ".repeat(padded - headerBytes.length).getBytes(StandardCharsets.US_ASCII));
            for (Entry t : tensors) {
                out.write(t.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The whole file for a given header text and data section, for tests of malformed files. */
    public static byte[] fileBytes(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).put(lengthPrefix(h.length)).put(h).put(data).array();
    }

    private static byte[] lengthPrefix(long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array();
    }
}
