package io.github.infer4j.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "pull", description = {
        "Download a model into the cache and print its path. An interrupted download resumes where it stopped.",
        "hf://OWNER/REPO/FILE stands for https://huggingface.co/OWNER/REPO/resolve/main/FILE."})
final class PullCommand implements Callable<Integer> {
    @ParentCommand
    private Infer4jCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "URL|hf://OWNER/REPO/FILE", description = "What to download.")
    private String reference;

    @Option(names = "--cache", paramLabel = "DIR", description = "Cache folder (default: ~/.cache/infer4j/models).")
    private Path cache;

    @Override
    public Integer call() {
        Path file = root.locator().pull(reference, cache);
        spec.commandLine().getOut().println(file);
        return 0;
    }
}
