package io.github.infer4j.huggingface;

import io.github.infer4j.internal.json.JsonObject;

/** Checked reads of config.json values shared by the architectures. */
final class HfConfig {
    private HfConfig() {
    }

    static int positiveInt(JsonObject config, String key) {
        int value = config.getInt(key);
        if (value <= 0) {
            throw config.invalid(key, "must be positive, got " + value);
        }
        return value;
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

    /**
     * {@code rope_scaling} as GGUF's {@code rope.scaling.*} keys: {@code linear} with its factor, and the Llama 3.1
     * rule with its four parameters. Older configs name the kind {@code type}, newer ones {@code rope_type}.
     */
    static void putRopeScaling(JsonObject config, String prefix, MetadataBuilder out) {
        JsonObject scaling = config.findObject("rope_scaling").orElse(null);
        if (scaling == null) {
            return;
        }
        String kind = scaling.getString("rope_type", scaling.getString("type", "default"));
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
            default -> throw scaling.invalid(scaling.has("rope_type") ? "rope_type" : "type", "'" + kind
                    + "' is not supported; supported: default, linear, llama3");
        }
    }
}
