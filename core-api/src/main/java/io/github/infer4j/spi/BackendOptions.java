package io.github.infer4j.spi;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;

import java.util.Map;
import java.util.TreeMap;

/**
 * Settings handed to a backend: the common ones have typed getters; backend-specific ones are read by name
 * (keys without the {@code infer4j.} prefix, e.g. {@code threads}).
 */
public final class BackendOptions {
    public static final String THREADS = "threads";
    public static final String KV_CACHE_TYPE = "kv.type";

    private final Map<String, String> values;

    public BackendOptions(Map<String, String> values) {
        this.values = Map.copyOf(new TreeMap<>(values));
    }

    public static BackendOptions empty() {
        return new BackendOptions(Map.of());
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new Infer4jException("option infer4j." + key + " must be an integer, got '" + v + "'");
        }
    }

    /** Worker threads: {@code threads}, default the number of available processors. */
    public int threads() {
        int threads = getInt(THREADS, Runtime.getRuntime().availableProcessors());
        if (threads < 1) {
            throw new Infer4jException("option infer4j.threads must be at least 1, got " + threads);
        }
        return threads;
    }

    /** KV cache element type: {@code kv.type} = F16 (default) or F32. */
    public DType kvCacheType() {
        String v = get(KV_CACHE_TYPE, "F16").trim().toUpperCase(java.util.Locale.ROOT);
        return switch (v) {
            case "F16" -> DType.F16;
            case "F32" -> DType.F32;
            default -> throw new Infer4jException("option infer4j.kv.type must be F16 or F32, got '" + v + "'");
        };
    }

    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
