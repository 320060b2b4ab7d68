package io.github.infer4j.examples.cli;

import io.github.infer4j.Infer4j;
import io.github.infer4j.Model;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** Which model to load and how: shared by every command that runs a model. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = {
            "GGUF file, hf://OWNER/REPO/FILE or URL (downloaded once into ~/.cache/infer4j/models).",
            "Default: $" + ModelLocator.MODEL_VARIABLE + ", else SmolLM2-135M-Instruct (Q8_0) from Hugging Face."})
    private String model;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to run on (see 'infer4j backends'); default: the best available.")
    private String backend;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads of the backend.")
    private Integer threads;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N",
            description = "Context length in tokens; default: the model's, at most 4096.")
    private Integer contextLength;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = {
            "A setting without the infer4j. prefix, for the backend or the loader (repeatable), e.g. "
                    + "lpu.chips=8, lpu.preset=groqchip1-1.25ghz, lpu.trace=trace.json."})
    private Map<String, String> options;

    Model load(ModelLocator locator) {
        return builder().load(locate(locator));
    }

    /** The model file, downloaded first if the command line names a remote one. */
    Path locate(ModelLocator locator) {
        return locator.locate(model);
    }

    /** A builder with what the command line sets, for commands that add their own settings before loading. */
    Infer4j.Builder builder() {
        Infer4j.Builder builder = Infer4j.builder();
        if (backend != null) {
            builder.backend(backend);
        }
        if (threads != null) {
            builder.threads(threads);
        }
        if (contextLength != null) {
            builder.contextLength(contextLength);
        }
        if (options != null) {
            options.forEach(builder::option);
        }
        return builder;
    }

    /** The thread count given with -t, or null. */
    Integer threads() {
        return threads;
    }

    /** The context length given with -c, or null. */
    Integer contextLength() {
        return contextLength;
    }
}
