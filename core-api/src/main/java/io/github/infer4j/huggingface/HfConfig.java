package io.github.infer4j.huggingface;

import io.github.infer4j.internal.json.JsonObject;

/** Checked reads of config.json values shared by the architectures. */
final class HfConfig {
    static final String FULL_ATTENTION = "full_attention";
    static final String SLIDING_ATTENTION = "sliding_attention";

    private HfConfig() {
    }

    static int positiveInt(JsonObject config, String key) {
        int value = config.getInt(key);
        if (value <= 0) {
            throw config.invalid(key, "must be positive, got " + value);
        }
        return value;
    }

    static int positiveInt(JsonObject config, String key, int dflt) {
        return config.has(key) ? positiveInt(config, key) : dflt;
    }

    static double positiveNumber(JsonObject config, String key, double dflt) {
        double value = config.getDouble(key, dflt);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw config.invalid(key, "must be a positive number, got " + value);
        }
        return value;
    }

    /** Fails unless {@code key} is absent or {@code expected}: a setting the graph does not implement. */
    static void require(JsonObject config, String key, String expected) {
        String value = config.getString(key, expected);
        if (!value.equals(expected)) {
            throw config.invalid(key, "'" + value + "' is not supported; Infer4j runs this architecture with '"
                    + expected + "'");
        }
    }

    /** Fails when {@code key} is true: a feature (such as biases) the graph does not implement. */
    static void requireFalse(JsonObject config, String key) {
        if (config.getBoolean(key, false)) {
            throw config.invalid(key, "true is not supported by this architecture in Infer4j");
        }
    }

    /** Fails when {@code key} is set to an explicit null, which Transformers reads as "feature off". */
    static void requireNotNull(JsonObject config, String key, String why) {
        if (config.keys().contains(key) && !config.has(key)) {
            throw config.invalid(key, "null is not supported: " + why);
        }
    }

    /**
     * The RoPE settings of the layers of {@code layerType} ({@code full_attention} or {@code sliding_attention}):
     * Transformers 5 writes them in {@code rope_parameters}, one object or one per layer type; older configs give
     * {@code rope_theta} (with the local base of Gemma 3 in {@code rope_local_base_freq}) and {@code rope_scaling}.
     */
    static Rope rope(JsonObject config, String layerType, String oldThetaKey, double dflt) {
        JsonObject params = config.findObject("rope_parameters").orElse(null);
        if (params == null) {
            return new Rope(positiveNumber(config, oldThetaKey, dflt),
                    layerType.equals(FULL_ATTENTION) ? config.findObject("rope_scaling").orElse(null) : null);
        }
        if (params.has(FULL_ATTENTION) || params.has(SLIDING_ATTENTION)) {
            params = params.findObject(layerType).orElse(null);
            if (params == null) {
                return new Rope(dflt, null);
            }
        }
        return new Rope(positiveNumber(params, "rope_theta", dflt), params);
    }

    /** A RoPE base and the object naming its scaling ({@code rope_type} or {@code type}; null: none). */
    record Rope(double theta, JsonObject scaling) {
        String kind() {
            return scaling == null ? "default" : scaling.getString("rope_type", scaling.getString("type", "default"));
        }

        /** The key that names the scaling's kind, for errors. */
        String kindKey() {
            return scaling.has("rope_type") ? "rope_type" : "type";
        }
    }

    /**
     * A RoPE scaling as GGUF's {@code rope.scaling.*} keys: {@code linear} with its factor, and the Llama 3.1 rule
     * with its four parameters. Older configs name the kind {@code type}, newer ones {@code rope_type}.
     */
    static void putRopeScaling(Rope rope, String prefix, MetadataBuilder out) {
        JsonObject scaling = rope.scaling();
        String kind = rope.kind();
        switch (kind) {
            case "default" -> {
            }
            case "linear" -> out.putString(prefix + "rope.scaling.type", "linear")
                    .putFloat32(prefix + "rope.scaling.factor", positiveNumber(scaling, "factor", 1));
            case "llama3" -> out.putString(prefix + "rope.scaling.type", "llama3")
                    .putFloat32(prefix + "rope.scaling.factor", positiveNumber(scaling, "factor", 8))
                    .putFloat32(prefix + "rope.scaling.low_freq_factor", positiveNumber(scaling, "low_freq_factor", 1))
                    .putFloat32(prefix + "rope.scaling.high_freq_factor",
                            positiveNumber(scaling, "high_freq_factor", 4))
                    .putUInt32(prefix + "rope.scaling.original_context_length",
                            positiveInt(scaling, "original_max_position_embeddings"));
            default -> throw scaling.invalid(rope.kindKey(), "'" + kind
                    + "' is not supported; supported: default, linear, llama3");
        }
    }
}
