package io.github.infer4j.examples.cli;

import io.github.infer4j.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "tokenize", description = {
        "Print the token ids of a text as [1, 2, 3], like llama-tokenize --ids --no-bos: no BOS is added and the "
                + "text of special tokens (e.g. <|im_start|>) becomes those tokens."})
final class TokenizeCommand implements Callable<Integer> {
    @ParentCommand
    private Infer4jCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions modelOptions;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT", description = "Text to tokenize.")
    private String text;

    @Override
    public Integer call() {
        try (Model model = modelOptions.load(root.locator())) {
            spec.commandLine().getOut().println(Arrays.toString(model.tokenizer().encode(text, false, true)));
        }
        return 0;
    }
}
