package io.github.infer4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** The {@code infer4j} command: global options and the list of subcommands. */
@Command(name = "infer4j",
        description = "Run GGUF language models in the JVM.",
        subcommands = {ChatCommand.class, GenerateCommand.class, TokenizeCommand.class, InfoCommand.class,
                BackendsCommand.class, PullCommand.class, LpuPlanCommand.class, BenchCommand.class,
                SynthCommand.class})
public final class Infer4jCommand implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print the stack trace of errors.")
    boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final Environment environment;

    private Infer4jCommand(Environment environment) {
        this.environment = environment;
    }

    /**
     * The command line, ready to {@link CommandLine#execute(String...) execute}: normal output goes to {@code out},
     * progress, statistics and errors to {@code err}; errors become one line {@code infer4j: <message>} and exit
     * code 1 (2 for invalid arguments).
     */
    public static CommandLine commandLine(Environment environment, PrintWriter out, PrintWriter err) {
        Infer4jCommand root = new Infer4jCommand(environment);
        CommandLine commandLine = new CommandLine(root);
        ErrorReporter errors = new ErrorReporter(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        return commandLine;
    }

    Environment environment() {
        return environment;
    }

    ModelLocator locator() {
        return new ModelLocator(environment, spec.commandLine().getErr());
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command; see 'infer4j --help'");
    }
}
