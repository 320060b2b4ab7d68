package io.github.infer4j.examples.cli;

import io.github.infer4j.testkit.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands that run a model, on the real stories260K files (skipped where the shared folder is absent). */
class ModelCommandsTest {
    private static final String PROMPT = "Once upon a time, there was a little girl named Lily.";

    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void tokenizePrintsIdsWithoutBos() {
        String model = SharedModels.file("stories260K.gguf").toString();

        CliRunner.Result result = cli().run("tokenize", "-m", model, "-p", PROMPT);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("[403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426]\n");
    }

    @Test
    void infoDescribesTheModel() {
        String model = SharedModels.file("stories260K-Q8_0.gguf").toString();

        CliRunner.Result result = cli().run("info", "-m", model);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains(
                "architecture:  llama\n",
                "tensor types:  Q8_0 x 32, F32 x 11, F16 x 5\n",
                "context:       128 tokens trained, 128 in use\n",
                "layers:        5\n",
                "heads:         8 (4 for keys and values)\n",
                "vocabulary:    512 tokens, tokenizer llama\n",
                "chat template: none\n");
    }

    @Test
    void greedyGenerateFromBosPrintsWhatLlamaCppPrints() throws IOException {
        String model = SharedModels.file("stories260K.gguf").toString();
        String llamaCpp = llamaCppGreedyText("stories260K.gguf");

        CliRunner.Result result = cli().run("generate", "-m", model, "-p", "", "-n", "20", "--temp", "0");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith(" Once upon a time,").endsWith("\n");
        String printed = result.out().substring(0, result.out().length() - 1);
        assertThat(printed.length()).isGreaterThan(60);
        assertThat(llamaCpp).startsWith(printed);
        assertThat(result.err()).contains("prompt: 1 tokens", "generation: 20 tokens", "stop: max tokens");
    }

    @Test
    void greedyGenerateEchoesThePromptThenContinuesLikeLlamaCpp() throws IOException {
        String model = SharedModels.file("stories260K.gguf").toString();
        String llamaCpp = llamaCppGreedyText("stories260K.gguf").stripLeading();

        CliRunner.Result result = cli().run("generate", "-m", model, "-p", PROMPT, "-n", "20", "--temp", "0");

        assertThat(result.exitCode()).isZero();
        String printed = result.out().stripTrailing();
        assertThat(printed).startsWith(PROMPT + " She loved to play");
        assertThat(printed.length()).isGreaterThan(PROMPT.length() + 40);
        assertThat(llamaCpp).startsWith(printed);
        assertThat(result.err()).contains("prompt: 16 tokens", "generation: 20 tokens", "stop: max tokens");
    }

    @Test
    void promptLongerThanTheContextIsOneLineAndNothingIsEchoed() {
        String model = SharedModels.file("stories260K.gguf").toString();

        CliRunner.Result result = cli().run("generate", "-m", model, "-p", PROMPT, "--ctx", "8");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("infer4j: the prompt has 16 tokens").hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void unknownBackendIsOneLineListingThePresentOnes() {
        String model = SharedModels.file("stories260K.gguf").toString();

        CliRunner.Result result = cli().run("tokenize", "-m", model, "-p", "x", "--backend", "nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("infer4j: unknown backend 'nope'").contains("reference").hasLineCount(1);
    }

    @Test
    void chatStreamsRepliesResetsAndStopsAtExit() {
        String model = SharedModels.file("stories260K.gguf").toString();

        CliRunner.Result result = cli().stdin("Hello\n/reset\n\nHello\n/exit\nnever read\n")
                .run("chat", "-m", model, "--template", "chatml", "--temp", "0", "-n", "8");

        assertThat(result.exitCode()).isZero();
        List<String> replies = result.out().lines().toList();
        assertThat(replies).hasSize(2);
        assertThat(replies.getFirst()).isNotBlank();
        // Greedy and from a fresh conversation both times: the same reply shows that /reset forgot the first turn.
        assertThat(replies.get(1)).isEqualTo(replies.getFirst());
        assertThat(result.err()).contains("(new conversation)");
        assertThat(result.err().lines().filter(line -> line.contains("generation: 8 tokens"))).hasSize(2);
    }

    @Test
    void chatGoesOnAfterAMessageTooLongForTheContext() {
        String model = SharedModels.file("stories260K.gguf").toString();
        String tooLong = "story ".repeat(80);

        CliRunner.Result result = cli().stdin(tooLong + "\nHi\n")
                .run("chat", "-m", model, "--template", "chatml", "--temp", "0", "-n", "4", "--ctx", "64");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).contains("infer4j: the prompt has ", "generation: 4 tokens");
        assertThat(result.out().lines().toList()).hasSize(1);
    }

    @Test
    void chatWithoutTemplateNamesTheOption() {
        String model = SharedModels.file("stories260K.gguf").toString();

        CliRunner.Result result = cli().run("chat", "-m", model);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("infer4j: ").contains("--template NAME").hasLineCount(1);
    }

    /** The 64-token greedy text llama.cpp printed for {@code file} from BOS alone (it starts with a space). */
    private static String llamaCppGreedyText(String file) throws IOException {
        List<String> lines = Files.readAllLines(SharedModels.file("stories260K.llamacpp-greedy.txt"));
        int start = lines.indexOf("== " + file) + 1;
        assertThat(start).as("section of %s", file).isPositive();
        StringBuilder text = new StringBuilder();
        for (int i = start; i < lines.size() && !lines.get(i).startsWith("== "); i++) {
            text.append(lines.get(i)).append('\n');
        }
        return text.toString();
    }
}
