package io.github.infer4j.examples;

import io.github.infer4j.examples.cli.Environment;
import io.github.infer4j.examples.cli.Infer4jCommand;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of the {@code infer4j} command line; the only place that ends the JVM with an exit code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Model output is UTF-8 whatever the platform's console encoding; write it as such.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int exitCode = Infer4jCommand.commandLine(Environment.system(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }
}
