package io.github.infer4j;

import io.github.infer4j.internal.BackendRegistry;
import io.github.infer4j.internal.Configuration;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point: load a model onto a backend. A model is a GGUF file or a Hugging Face folder ({@code config.json},
 * {@code tokenizer.json} and {@code *.safetensors} files), which runs exactly as its GGUF conversion would. The
 * backend and its settings come from, first match wins, this builder, system properties {@code infer4j.*},
 * environment variables {@code INFER4J_*}, {@code infer4j.properties} on the class path, and finally the
 * highest-priority available backend.
 */
public final class Infer4j {
    private Infer4j() {
    }

    /** Loads a model (a GGUF file or a Hugging Face folder) with the configuration of this JVM. */
    public static Model load(Path path) {
        return builder().load(path);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every backend on the class path, best first, with whether it can run here. */
    public static List<BackendStatus> backends() {
        return BackendRegistry.discover().statuses();
    }

    /** Settings for loading a model; anything not set here falls back to the other configuration sources. */
    public static final class Builder {
        private final Map<String, String> options = new LinkedHashMap<>();

        private Builder() {
        }

        /** Backend name, e.g. {@code cpu-vector} (key {@code infer4j.backend}). */
        public Builder backend(String name) {
            return option("backend", name);
        }

        /** Worker threads of the backend (key {@code infer4j.threads}). */
        public Builder threads(int threads) {
            return option("threads", Integer.toString(threads));
        }

        /** Context length in tokens (key {@code infer4j.context}); default: the model's, at most 4096. */
        public Builder contextLength(int tokens) {
            return option("context", Integer.toString(tokens));
        }

        /** KV cache element type, {@code F16} or {@code F32} (key {@code infer4j.kv.type}). */
        public Builder kvCacheType(String type) {
            return option("kv.type", type);
        }

        /** Any key without the {@code infer4j.} prefix, including backend-specific ones. */
        public Builder option(String key, String value) {
            options.put(key, value);
            return this;
        }

        public Model load(Path path) {
            return ModelLoader.load(path, Configuration.current(options), BackendRegistry.discover());
        }
    }
}
