package io.github.infer4j.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing, validation and error reporting; none of these need a real model. */
class CommandLineTest {
    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void helpListsTheCommands() {
        CliRunner.Result result = cli().run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("chat", "generate", "tokenize", "info", "backends", "pull", "bench", "synth",
                "--debug");
    }

    @Test
    void chatHelpNamesTheBuiltInTemplates() {
        CliRunner.Result result = cli().run("chat", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("--template=NAME", "chatml", "llama3", "--system=TEXT", "--temp=T");
    }

    @Test
    void missingCommandIsAnInvalidInput() {
        CliRunner.Result result = cli().run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("infer4j: missing command").hasLineCount(1);
    }

    @Test
    void unknownOptionIsOneLine() {
        CliRunner.Result result = cli().run("generate", "-p", "x", "--bogus");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("infer4j: Unknown option: '--bogus' (see 'infer4j generate --help')\n");
    }

    @Test
    void requiredPromptAndNumericValuesAreChecked() {
        CliRunner.Result noPrompt = cli().run("generate", "-m", "model.gguf");
        CliRunner.Result badNumber = cli().run("generate", "-m", "model.gguf", "-p", "x", "--temp", "hot");

        assertThat(noPrompt.exitCode()).isEqualTo(2);
        assertThat(noPrompt.err()).startsWith("infer4j: Missing required option: '--prompt=TEXT'").hasLineCount(1);
        assertThat(badNumber.exitCode()).isEqualTo(2);
        assertThat(badNumber.err()).startsWith("infer4j: Invalid value for option '--temp': 'hot'").hasLineCount(1);
    }

    @Test
    void missingModelFileIsOneLineWithoutStackTrace() {
        CliRunner.Result result = cli().run("info", "-m", home.resolve("absent.gguf").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("infer4j: " + home.resolve("absent.gguf") + ": no such model file\n");
    }

    @Test
    void debugShowsTheStackTraceWhereverItIsGiven() {
        String model = home.resolve("absent.gguf").toString();

        CliRunner.Result before = cli().run("--debug", "info", "-m", model);
        CliRunner.Result after = cli().run("info", "-m", model, "--debug");

        assertThat(before.err()).startsWith("infer4j: ").contains("\tat io.github.infer4j.");
        assertThat(after.err()).startsWith("infer4j: ").contains("\tat io.github.infer4j.");
    }

    @Test
    void corruptModelFileIsOneLine() throws Exception {
        Path corrupt = Files.write(home.resolve("corrupt.gguf"), "this is not a GGUF file at all".getBytes());

        CliRunner.Result result = cli().run("tokenize", "-m", corrupt.toString(), "-p", "hello");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("infer4j: ").contains(corrupt.toString()).hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void modelComesFromTheEnvironmentWhenNotGiven() {
        Path model = home.resolve("from-env.gguf");

        CliRunner.Result result = cli().variables(java.util.Map.of(ModelLocator.MODEL_VARIABLE, model.toString()))
                .run("tokenize", "-p", "hello");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("infer4j: " + model + ": no such model file\n");
    }

    @Test
    void backendsAreListedWithTheirAvailability() {
        CliRunner.Result result = cli().run("backends");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("(?m)^reference +priority +-?\\d+ +available: ");
    }
}
