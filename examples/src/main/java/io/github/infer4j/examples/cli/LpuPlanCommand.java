package io.github.infer4j.examples.cli;

import io.github.infer4j.backend.lpu.LpuConfig;
import io.github.infer4j.backend.lpu.LpuPlanner;
import io.github.infer4j.backend.lpu.LpuPrecision;
import io.github.infer4j.backend.lpu.LpuReport;
import io.github.infer4j.backend.lpu.ModelShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "lpu-plan", description = {
        "Plan a model on simulated Groq-style LPU chips from its shape alone (no weights): how it is laid over the "
                + "chips, time to first token, time per output token, tokens/s per user, SRAM and unit use. Prints "
                + "the table and writes a Chrome/Perfetto trace of a prompt pass and a decoding pass. docs/LPU.md "
                + "describes the model of the chip."})
final class LpuPlanCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--shape", required = true, paramLabel = "NAME",
            description = "Model shape: llama2-7b, llama2-13b, llama2-70b, llama3-8b, llama3-70b, mixtral-8x7b, "
                    + "stories260k.")
    private String shape;

    @Option(names = "--chips", required = true, paramLabel = "N", description = "Chips to lay the model over.")
    private int chips;

    @Option(names = "--weights", paramLabel = "int8|fp16", defaultValue = "int8",
            description = "How weights sit on the chips (default: ${DEFAULT-VALUE}).")
    private String weights;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "groqchip1",
            description = "Chip: groqchip1, groqchip1-1.25ghz or next-gen-estimate (default: ${DEFAULT-VALUE}).")
    private String preset;

    @Option(names = "--set", paramLabel = "FIGURE=VALUE",
            description = "Override a chip figure, e.g. clock-mhz=1000 or hop-latency-ns=300 (repeatable).")
    private Map<String, String> figures;

    @Option(names = "--prompt", paramLabel = "N", defaultValue = "128",
            description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    private int prompt;

    @Option(names = "--output", paramLabel = "N", defaultValue = "128",
            description = "Output tokens; the decoding pass is timed half way (default: ${DEFAULT-VALUE}).")
    private int output;

    @Option(names = "--context", paramLabel = "N", description = "KV cache to reserve SRAM for; default: the shape's.")
    private Integer context;

    @Option(names = "--trace", paramLabel = "FILE", defaultValue = "lpu-trace.json",
            description = "Where to write the trace (default: ${DEFAULT-VALUE}).")
    private Path trace;

    @Override
    public Integer call() {
        LpuConfig config = LpuConfig.preset(preset);
        if (figures != null) {
            for (Map.Entry<String, String> e : figures.entrySet()) {
                config = config.with(e.getKey(), e.getValue());
            }
        }
        ModelShape model = ModelShape.named(shape);
        if (context != null) {
            model = model.withContext(context);
        }
        long start = System.nanoTime();
        LpuReport report = LpuPlanner.plan(model, LpuPrecision.parse(weights), config, chips, prompt, output);
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.table());
        out.flush();
        report.writeTrace(trace);
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "planned in %.2f s; trace written to %s (open it in ui.perfetto.dev)%n", seconds, trace);
        return 0;
    }
}
