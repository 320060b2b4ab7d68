package io.github.infer4j.examples.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the commands take from the process around them, passed in so that tests can run every command in-process
 * with their own input, variables and home folder.
 */
public record Environment(InputStream stdin, Map<String, String> variables, Path userHome) {
    public Environment {
        variables = Map.copyOf(variables);
    }

    public static Environment system() {
        return new Environment(System.in, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The variable's value, or null when it is unset or blank. */
    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
