package io.github.infer4j.examples.cli;

import io.github.infer4j.synthetic.ModelShape;
import io.github.infer4j.synthetic.SyntheticLlama;
import io.github.infer4j.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "synth", description = {
        "Write a GGUF model of a published model's architecture and shape with random weights, for benchmarks and "
                + "tests: same tensors, sizes and vocabulary size as the real one (llama, qwen2, qwen3, gemma2, "
                + "gemma3 or phi3), a Llama-3-style byte-level BPE vocabulary; llama.cpp loads it too, so one file "
                + "serves both engines."})
final class SynthCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--shape", required = true, paramLabel = "NAME", completionCandidates = ShapeNames.class,
            description = "Shape to copy, one of: ${COMPLETION-CANDIDATES}.")
    private String shape;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "Q8_0",
            description = "Type of the matrices (norms stay F32): Q8_0, Q4_0, F16, BF16, F32, or another GGUF "
                    + "type Infer4j can write. Default: ${DEFAULT-VALUE}.")
    private String type;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "GGUF file to write.")
    private Path output;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the weights: the same options and seed give the same file. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Override
    public Integer call() throws IOException {
        ModelShape modelShape = shape();
        DType weightType = weightType();
        SyntheticLlama.Builder model = SyntheticLlama.builder().shape(modelShape).weightType(weightType).seed(seed);
        Path target = output.toAbsolutePath();
        // Written beside the target and moved at the end, so that an interrupted run leaves no truncated model.
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        long start = System.nanoTime();
        try {
            model.write(partial);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "wrote %s: %s shape (%s), %s, %.1f MiB in %.1f s%n", output, modelShape.name(),
                modelShape.architecture(), weightType, Files.size(target) / (1024.0 * 1024), seconds);
        return 0;
    }

    private ModelShape shape() {
        try {
            return ModelShape.named(shape);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private DType weightType() {
        for (DType candidate : DType.values()) {
            if (candidate.name().equalsIgnoreCase(type)) {
                return candidate;
            }
        }
        List<String> names = new ArrayList<>();
        for (DType candidate : DType.values()) {
            names.add(candidate.name());
        }
        throw new ParameterException(spec.commandLine(), "unknown weight type '" + type + "'; known: "
                + String.join(", ", names));
    }

    /** The shape names, for the help text. */
    static final class ShapeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>();
            for (ModelShape known : ModelShape.known()) {
                names.add(known.name());
            }
            return names.iterator();
        }
    }
}
