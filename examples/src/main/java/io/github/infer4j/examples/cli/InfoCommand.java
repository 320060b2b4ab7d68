package io.github.infer4j.examples.cli;

import io.github.infer4j.Model;
import io.github.infer4j.ModelInfo;
import io.github.infer4j.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "info", description = "Describe a model: architecture, size, tensor types, context, tokenizer, chat template.")
final class InfoCommand implements Callable<Integer> {
    private static final int TEMPLATE_LINES = 8;

    @ParentCommand
    private Infer4jCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions modelOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Model model = modelOptions.load(root.locator())) {
            ModelInfo info = model.info();
            row(out, "file", info.file() + " (" + mebibytes(info.fileSize()) + ")");
            row(out, "architecture", info.architecture());
            row(out, "name", info.name());
            row(out, "parameters", count(info.parameterCount()));
            row(out, "tensor types", tensorTypes(info.tensorTypes()));
            row(out, "context", info.trainedContextLength() + " tokens trained, " + model.contextLength() + " in use");
            row(out, "embedding", Integer.toString(info.embeddingLength()));
            row(out, "layers", Integer.toString(info.layers()));
            row(out, "heads", info.heads() + " (" + info.kvHeads() + " for keys and values)");
            row(out, "vocabulary", info.vocabSize() + " tokens, tokenizer " + info.tokenizerModel());
            row(out, "backend", model.backendName());
            chatTemplate(out, info.chatTemplate());
        }
        return 0;
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("%-14s %s%n", label + ":", value);
    }

    private static void chatTemplate(PrintWriter out, String template) {
        if (template == null) {
            row(out, "chat template", "none");
            return;
        }
        List<String> lines = template.lines().toList();
        row(out, "chat template", lines.size() + (lines.size() == 1 ? " line" : " lines"));
        for (String line : lines.subList(0, Math.min(TEMPLATE_LINES, lines.size()))) {
            out.println("  " + line);
        }
        if (lines.size() > TEMPLATE_LINES) {
            out.println("  ... (" + (lines.size() - TEMPLATE_LINES) + " more)");
        }
    }

    /** Most common type first, e.g. "Q8_0 x 32, F16 x 5, F32 x 11". */
    private static String tensorTypes(Map<DType, Integer> types) {
        List<Map.Entry<DType, Integer>> entries = new ArrayList<>(types.entrySet());
        entries.sort(Map.Entry.<DType, Integer>comparingByValue().reversed().thenComparing(e -> e.getKey().name()));
        List<String> parts = new ArrayList<>();
        for (Map.Entry<DType, Integer> entry : entries) {
            parts.add(entry.getKey() + " x " + entry.getValue());
        }
        return String.join(", ", parts);
    }

    private static String count(long parameters) {
        if (parameters >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f B (%,d)", parameters / 1e9, parameters);
        }
        if (parameters >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f M (%,d)", parameters / 1e6, parameters);
        }
        if (parameters >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f K (%,d)", parameters / 1e3, parameters);
        }
        return Long.toString(parameters);
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
