package io.github.infer4j.examples.cli;

import io.github.infer4j.Chat;
import io.github.infer4j.ChatOptions;
import io.github.infer4j.GenerationResult;
import io.github.infer4j.Infer4jException;
import io.github.infer4j.Model;
import io.github.infer4j.StopReason;
import io.github.infer4j.TokenListener;
import io.github.infer4j.chat.ChatTemplates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.Callable;

@Command(name = "chat", description = {
        "Chat with a model: each line you type is a message, the reply streams as it is generated.",
        "/reset starts a new conversation, /exit (or end of input) quits."})
final class ChatCommand implements Callable<Integer> {
    @ParentCommand
    private Infer4jCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions modelOptions;

    @Mixin
    private SamplingOptions sampling;

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.")
    private String system;

    @Option(names = "--template", paramLabel = "NAME", completionCandidates = TemplateNames.class,
            description = "Chat template to use instead of the one the model's metadata implies, one of: "
                    + "${COMPLETION-CANDIDATES}.")
    private String template;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ChatOptions options = ChatOptions.defaults().system(system).template(template).generation(sampling.generation());
        try (Model model = modelOptions.load(root.locator());
             Chat chat = model.newChat(options)) {
            err.println("Chatting with " + model.info().name() + " on " + model.backendName() + ", context "
                    + model.contextLength() + " tokens. /reset starts over, /exit quits.");
            BufferedReader in = new BufferedReader(new InputStreamReader(root.environment().stdin(), StandardCharsets.UTF_8));
            while (true) {
                // Prompt and banner go to stderr: stdout then holds the replies alone, and the prompt stays in order
                // with the statistics (the launcher passes stderr through a filter, stdout not).
                err.print("> ");
                err.flush();
                String line = in.readLine();
                if (line == null) {
                    err.println();
                    return 0;
                }
                String message = line.strip();
                switch (message) {
                    case "" -> { }
                    case "/exit", "/quit" -> {
                        return 0;
                    }
                    case "/reset" -> {
                        chat.reset();
                        err.println("(new conversation)");
                    }
                    default -> reply(chat, message, out, err);
                }
            }
        }
    }

    /** One turn; a failed turn (say, a message too long for the context) is reported and the chat goes on. */
    private void reply(Chat chat, String message, PrintWriter out, PrintWriter err) {
        ReplyPrinter printer = new ReplyPrinter(out);
        GenerationResult result;
        try {
            result = chat.send(message, printer);
        } catch (Infer4jException e) {
            if (printer.started) {
                out.println();
                out.flush();
            }
            err.println("infer4j: " + e.getMessage());
            if (root.debug) {
                e.printStackTrace(err);
            }
            return;
        }
        out.println();
        out.flush();
        err.println(Statistics.of(result));
        if (result.stopReason() == StopReason.CONTEXT_FULL) {
            err.println("(the context is full: /reset to start a new conversation)");
        }
    }

    /** Streams the reply and remembers whether any of it was printed. */
    private static final class ReplyPrinter implements TokenListener {
        private final PrintWriter out;
        private boolean started;

        ReplyPrinter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void onText(String text) {
            started = true;
            out.print(text);
            out.flush();
        }
    }

    /** The built-in template names, for the help text. */
    static final class TemplateNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ChatTemplates.names().iterator();
        }
    }
}
