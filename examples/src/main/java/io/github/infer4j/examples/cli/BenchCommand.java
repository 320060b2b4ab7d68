package io.github.infer4j.examples.cli;

import io.github.infer4j.Infer4j;
import io.github.infer4j.Model;
import io.github.infer4j.examples.bench.BenchReport;
import io.github.infer4j.examples.bench.BenchTest;
import io.github.infer4j.examples.bench.Benchmark;
import io.github.infer4j.examples.bench.ModelSummary;
import io.github.infer4j.examples.bench.PeakMemory;
import io.github.infer4j.examples.bench.TestResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", description = {
        "Measure prompt processing (ppN: N tokens in one batched call) and generation (tgN: N tokens one at a time) "
                + "in tokens per second, like llama.cpp's llama-bench: random token ids, an empty context for every "
                + "run, one warm-up run, then the timed repetitions. Prints llama-bench's table (t/s as mean ± "
                + "standard deviation) and the peak resident memory."})
final class BenchCommand implements Callable<Integer> {
    private static final long TOKEN_SEED = 1234;

    @ParentCommand
    private Infer4jCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions modelOptions;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "N", defaultValue = "512",
            description = "Prompt tokens of the pp test; 0 skips it. Default: ${DEFAULT-VALUE}.")
    private int promptTokens;

    @Option(names = {"-n", "--n-gen"}, paramLabel = "N", defaultValue = "128",
            description = "Generated tokens of the tg test; 0 skips it. Default: ${DEFAULT-VALUE}.")
    private int generatedTokens;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", defaultValue = "5",
            description = "Timed runs of each test, after one warm-up run. Default: ${DEFAULT-VALUE}.")
    private int repetitions;

    @Option(names = {"-b", "--batch"}, paramLabel = "N",
            description = "Tokens per prefill step (key infer4j.batch); default: the configured one.")
    private Integer batch;

    @Option(names = "--json", description = "Print a JSON array, one object per test, instead of the table.")
    private boolean json;

    @Override
    public Integer call() {
        List<BenchTest> tests = tests();
        int threads = modelOptions.threads() != null ? modelOptions.threads()
                : Runtime.getRuntime().availableProcessors();
        Infer4j.Builder builder = modelOptions.builder().threads(threads);
        if (modelOptions.contextLength() == null) {
            builder.contextLength(promptTokens + generatedTokens);
        }
        if (batch != null) {
            builder.option("batch", Integer.toString(batch));
        }
        PrintWriter out = spec.commandLine().getOut();
        List<TestResult> results = new ArrayList<>();
        try (Model model = builder.load(modelOptions.locate(root.locator()));
             Benchmark benchmark = new Benchmark(model, repetitions, TOKEN_SEED)) {
            ModelSummary summary = ModelSummary.of(model, threads);
            if (!json) {
                out.println(BenchReport.tableHeader());
                out.flush();
            }
            for (BenchTest test : tests) {
                TestResult result = benchmark.run(test);
                results.add(result);
                if (!json) {
                    out.println(BenchReport.tableRow(summary, result));
                    out.flush();
                }
            }
            if (json) {
                out.println(BenchReport.json(summary, results));
            } else {
                out.println();
                out.println(BenchReport.memoryLine(PeakMemory.residentBytes()));
            }
        }
        return 0;
    }

    private List<BenchTest> tests() {
        if (promptTokens < 0 || generatedTokens < 0 || promptTokens + generatedTokens == 0) {
            throw new ParameterException(spec.commandLine(),
                    "-p and -n must not be negative, and at least one of them above 0");
        }
        if (repetitions < 1) {
            throw new ParameterException(spec.commandLine(), "-r must be at least 1, got " + repetitions);
        }
        List<BenchTest> tests = new ArrayList<>();
        if (promptTokens > 0) {
            tests.add(new BenchTest(BenchTest.Kind.PROMPT, promptTokens));
        }
        if (generatedTokens > 0) {
            tests.add(new BenchTest(BenchTest.Kind.GENERATION, generatedTokens));
        }
        return tests;
    }
}
