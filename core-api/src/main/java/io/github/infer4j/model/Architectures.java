package io.github.infer4j.model;

import io.github.infer4j.Infer4jException;

import java.util.List;

/** The architectures Infer4j can run, by {@code general.architecture}. */
public final class Architectures {
    private static final List<Architecture> ALL = List.of(new LlamaArchitecture(), new Qwen2Architecture(),
            new Qwen3Architecture(), new Gemma2Architecture(), new Gemma3Architecture(), new Phi3Architecture());

    private Architectures() {
    }

    public static Architecture forName(String name, String source) {
        for (Architecture a : ALL) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new Infer4jException(source + ": general.architecture '" + name + "' is not supported; supported: "
                + supportedNames());
    }

    public static List<String> supportedNames() {
        return ALL.stream().map(Architecture::name).toList();
    }
}
