package io.github.infer4j.examples.cli;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.examples.pull.DownloadException;
import io.github.infer4j.examples.pull.Downloader;
import io.github.infer4j.examples.pull.ModelSource;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Turns what the user named (a file, a URL, nothing at all) into a local model file, downloading when needed. */
final class ModelLocator {
    static final String DEFAULT_MODEL = "hf://bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q8_0.gguf";
    static final String MODEL_VARIABLE = "INFER4J_MODEL";
    static final String HF_ENDPOINT_VARIABLE = "INFER4J_HF_ENDPOINT";

    private final Environment environment;
    private final PrintWriter progress;

    ModelLocator(Environment environment, PrintWriter progress) {
        this.environment = environment;
        this.progress = progress;
    }

    Path defaultCache() {
        return environment.userHome().resolve(".cache").resolve("infer4j").resolve("models");
    }

    /** Downloads {@code reference} into {@code cache} (the default cache when null) unless it is already there. */
    Path pull(String reference, Path cache) {
        String endpoint = environment.variable(HF_ENDPOINT_VARIABLE);
        ModelSource source = ModelSource.parse(reference, endpoint == null ? ModelSource.DEFAULT_HF_ENDPOINT : endpoint);
        return new Downloader(progress).pull(source, cache == null ? defaultCache() : cache);
    }

    /**
     * The model file for the {@code -m} option: the option itself, else {@value #MODEL_VARIABLE}, else the default
     * model (downloaded once into the cache). URLs are pulled into the default cache; a file is returned as is,
     * for the loader to report if it is missing.
     */
    Path locate(String option) {
        String reference = option != null ? option : environment.variable(MODEL_VARIABLE);
        if (reference == null) {
            try {
                return pull(DEFAULT_MODEL, null);
            } catch (DownloadException e) {
                throw new Infer4jException("no model given and the default model could not be downloaded: "
                        + e.getMessage() + "; pass a local GGUF file with -m FILE (or set " + MODEL_VARIABLE + ")", e);
            }
        }
        return ModelSource.isRemote(reference) ? pull(reference, null) : Path.of(reference);
    }
}
