package io.github.infer4j.huggingface;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.gguf.GgufValue;
import io.github.infer4j.gguf.GgufValueType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GGUF metadata assembled in memory, with the value types llama.cpp's converter writes. */
final class MetadataBuilder {
    private final Map<String, GgufValue> values = new LinkedHashMap<>();

    MetadataBuilder putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    MetadataBuilder putUInt32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    MetadataBuilder putFloat32(String key, double value) {
        return put(key, GgufValueType.FLOAT32, (float) value);
    }

    MetadataBuilder putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    MetadataBuilder putStrings(String key, List<String> value) {
        values.put(key, new GgufValue(GgufValueType.ARRAY, GgufValueType.STRING, value));
        return this;
    }

    MetadataBuilder putInt32s(String key, int[] value) {
        values.put(key, new GgufValue(GgufValueType.ARRAY, GgufValueType.INT32, value));
        return this;
    }

    MetadataBuilder putFloat32s(String key, float[] value) {
        values.put(key, new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, value));
        return this;
    }

    GgufMetadata build(Path origin) {
        return GgufMetadata.of(origin, values);
    }

    private MetadataBuilder put(String key, GgufValueType type, Object value) {
        values.put(key, new GgufValue(type, null, value));
        return this;
    }
}
