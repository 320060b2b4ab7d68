package io.github.infer4j.examples.cli;

import io.github.infer4j.examples.pull.LocalHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PullCommandTest {
    private static final byte[] CONTENT = "GGUF and then some weights".getBytes();

    @TempDir
    Path home;

    @Test
    void pullsHuggingFaceReferenceIntoTheDefaultCacheAndPrintsThePath() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer(LocalHttpServer.serving(CONTENT))) {
            CliRunner cli = new CliRunner(home).variables(Map.of(ModelLocator.HF_ENDPOINT_VARIABLE, server.endpoint()));

            CliRunner.Result first = cli.run("pull", "hf://owner/repo/model.gguf");
            CliRunner.Result second = cli.run("pull", "hf://owner/repo/model.gguf");

            Path expected = home.resolve(".cache/infer4j/models/huggingface/owner/repo/model.gguf");
            assertThat(first.exitCode()).isZero();
            assertThat(first.out()).isEqualTo(expected + "\n");
            assertThat(first.err()).contains("100%");
            assertThat(Files.readAllBytes(expected)).isEqualTo(CONTENT);
            assertThat(second.out()).isEqualTo(expected + "\n");
            assertThat(server.requests()).containsExactly("/owner/repo/resolve/main/model.gguf");
        }
    }

    @Test
    void cacheFolderCanBeChosen() throws Exception {
        Path cache = home.resolve("elsewhere");
        try (LocalHttpServer server = new LocalHttpServer(LocalHttpServer.serving(CONTENT))) {
            CliRunner.Result result = new CliRunner(home).run("pull", server.uri("/files/m.gguf").toString(),
                    "--cache", cache.toString());

            Path expected = cache.resolve("127.0.0.1_" + server.uri("/").getPort()).resolve("files/m.gguf");
            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).isEqualTo(expected + "\n");
            assertThat(Files.readAllBytes(expected)).isEqualTo(CONTENT);
        }
    }

    @Test
    void notFoundIsOneLineError() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer(exchange -> exchange.sendResponseHeaders(404, -1))) {
            CliRunner.Result result = new CliRunner(home)
                    .variables(Map.of(ModelLocator.HF_ENDPOINT_VARIABLE, server.endpoint()))
                    .run("pull", "hf://owner/repo/missing.gguf");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("infer4j: " + server.uri("/owner/repo/resolve/main/missing.gguf")
                    + " answered HTTP 404 (not found)\n");
            assertThat(result.out()).isEmpty();
        }
    }

    @Test
    void defaultModelOfflineFailsFastSayingHowToPassAModel() {
        CliRunner.Result result = new CliRunner(home)
                .variables(Map.of(ModelLocator.HF_ENDPOINT_VARIABLE, "http://127.0.0.1:1"))
                .run("chat");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .startsWith("infer4j: no model given and the default model could not be downloaded: ")
                .contains("/bartowski/SmolLM2-135M-Instruct-GGUF/resolve/main/SmolLM2-135M-Instruct-Q8_0.gguf")
                .contains("pass a local GGUF file with -m FILE")
                .hasLineCount(1);
    }
}
