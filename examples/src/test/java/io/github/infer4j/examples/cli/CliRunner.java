package io.github.infer4j.examples.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the command line in-process with given input, variables and home folder, capturing both outputs. */
final class CliRunner {
    record Result(int exitCode, String out, String err) {
    }

    private final Path home;
    private Map<String, String> variables = Map.of();
    private String stdin = "";

    CliRunner(Path home) {
        this.home = home;
    }

    CliRunner variables(Map<String, String> variables) {
        this.variables = variables;
        return this;
    }

    CliRunner stdin(String stdin) {
        this.stdin = stdin;
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment environment = new Environment(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), variables, home);
        int exitCode = Infer4jCommand.commandLine(environment, new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
