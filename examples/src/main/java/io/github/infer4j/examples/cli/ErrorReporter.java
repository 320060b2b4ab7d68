package io.github.infer4j.examples.cli;

import io.github.infer4j.Infer4jException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Arrays;

/**
 * Reports every failure as one line {@code infer4j: <message>} on stderr; the stack trace only with
 * {@code --debug}. Errors the user can fix (bad arguments, files, models) show their message alone; anything else
 * is a bug of ours and says so.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private static final int EXIT_FAILURE = 1;

    private final Infer4jCommand root;

    ErrorReporter(Infer4jCommand root) {
        this.root = root;
    }

    @Override
    public int handleParseException(ParameterException error, String[] args) {
        CommandLine commandLine = error.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String command = commandLine.getCommandSpec().qualifiedName();
        err.println("infer4j: " + error.getMessage() + " (see '" + command + " --help')");
        // A parse error can stop before --debug is bound, so look for it in the raw arguments.
        if (root.debug || Arrays.asList(args).contains("--debug")) {
            error.printStackTrace(err);
        }
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception error, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        commandLine.getOut().flush();
        err.println("infer4j: " + message(error));
        if (root.debug) {
            error.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    private static String message(Exception error) {
        boolean userError = error instanceof Infer4jException || error instanceof IllegalArgumentException
                || error instanceof IOException || error instanceof UncheckedIOException;
        String message = error.getMessage() == null || error.getMessage().isBlank()
                ? error.getClass().getSimpleName() : error.getMessage();
        if (error instanceof FileSystemException fileError && fileError.getReason() == null) {
            // Their message is the bare path; the class name says what went wrong with it.
            message = fileError.getClass().getSimpleName() + ": " + fileError.getFile();
        }
        return userError ? message
                : "internal error: " + error.getClass().getName() + ": " + message + " (run with --debug for the stack trace)";
    }
}
