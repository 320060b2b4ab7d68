package io.github.infer4j.examples.cli;

import io.github.infer4j.GenerationResult;
import io.github.infer4j.Model;
import io.github.infer4j.TokenListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "generate", description = {
        "Continue a prompt, like llama.cpp's llama-completion -no-cnv: the prompt is echoed, then the generated "
                + "text streams on stdout; statistics go to stderr, with what the backend reports (lpu-sim: the "
                + "simulated timing next to the host's)."})
final class GenerateCommand implements Callable<Integer> {
    @ParentCommand
    private Infer4jCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions modelOptions;

    @Mixin
    private SamplingOptions sampling;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT",
            description = "Text to continue (BOS is added as the model's metadata says).")
    private String prompt;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Model model = modelOptions.load(root.locator())) {
            EchoingPrinter printer = new EchoingPrinter(out, prompt);
            GenerationResult result = model.generate(prompt, sampling.generation(), printer);
            printer.finish();
            out.flush();
            spec.commandLine().getErr().println(Statistics.of(result));
            String report = Statistics.backendReport(model.backendName(), model.backendReport());
            if (!report.isEmpty()) {
                spec.commandLine().getErr().print(report);
            }
        }
        return 0;
    }

    /** Prints the prompt with the first generated text, so that a prompt the model rejects is not echoed. */
    private static final class EchoingPrinter implements TokenListener {
        private final PrintWriter out;
        private String pendingPrompt;

        EchoingPrinter(PrintWriter out, String prompt) {
            this.out = out;
            this.pendingPrompt = prompt;
        }

        @Override
        public void onText(String text) {
            echoPrompt();
            out.print(text);
            out.flush();
        }

        /** Ends the output, echoing the prompt if nothing was generated. */
        void finish() {
            echoPrompt();
            out.println();
        }

        private void echoPrompt() {
            if (pendingPrompt != null) {
                out.print(pendingPrompt);
                pendingPrompt = null;
            }
        }
    }
}
