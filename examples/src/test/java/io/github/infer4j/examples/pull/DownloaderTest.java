package io.github.infer4j.examples.pull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DownloaderTest {
    private static final byte[] CONTENT = randomBytes(300_000);
    private static final Path CACHED = Path.of("huggingface", "o", "r", "m.gguf");

    @TempDir
    Path cache;

    private final StringWriter progress = new StringWriter();
    private final Downloader downloader = new Downloader(new PrintWriter(progress));

    @Test
    void downloadsIntoTheCacheWithProgress() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer(LocalHttpServer.serving(CONTENT))) {
            Path file = downloader.pull(source(server), cache);

            assertThat(file).isEqualTo(cache.resolve(CACHED));
            assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
            assertThat(partFile()).doesNotExist();
            assertThat(server.requests()).containsExactly("/o/r/resolve/main/m.gguf");
            assertThat(progress.toString()).contains("m.gguf", "100% [", "0.3 MiB / 0.3 MiB");
        }
    }

    @Test
    void resumesAfterTheServerCutTheStream() throws Exception {
        try (LocalHttpServer cutting = new LocalHttpServer(LocalHttpServer.serving(CONTENT, 100_000))) {
            assertThatThrownBy(() -> downloader.pull(source(cutting), cache))
                    .isInstanceOf(DownloadException.class)
                    .hasMessageContaining("broke off").hasMessageContaining("pull again to resume");
        }
        assertThat(cache.resolve(CACHED)).doesNotExist();
        long kept = Files.size(partFile());
        assertThat(kept).isPositive().isLessThanOrEqualTo(100_000);

        try (LocalHttpServer server = new LocalHttpServer(LocalHttpServer.serving(CONTENT))) {
            Path file = downloader.pull(source(server), cache);

            assertThat(server.requests()).containsExactly("/o/r/resolve/main/m.gguf bytes=" + kept + "-");
            assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
            assertThat(partFile()).doesNotExist();
        }
    }

    @Test
    void resumesThroughARedirectLikeHuggingFaceToItsCdn() throws Exception {
        LocalHttpServer.Responder content = LocalHttpServer.serving(CONTENT);
        LocalHttpServer.Responder redirecting = exchange -> {
            if (exchange.getRequestURI().getPath().startsWith("/cdn/")) {
                content.respond(exchange);
            } else {
                exchange.getResponseHeaders().add("Location", "/cdn/blob");
                exchange.sendResponseHeaders(302, -1);
            }
        };
        Files.createDirectories(partFile().getParent());
        Files.write(partFile(), Arrays.copyOf(CONTENT, 1234));
        try (LocalHttpServer server = new LocalHttpServer(redirecting)) {
            Path file = downloader.pull(source(server), cache);

            assertThat(server.requests())
                    .containsExactly("/o/r/resolve/main/m.gguf bytes=1234-", "/cdn/blob bytes=1234-");
            assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
        }
    }

    @Test
    void silentServerIsGivenUpAfterTheStallTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LocalHttpServer.Responder stalling = exchange -> {
            exchange.sendResponseHeaders(200, CONTENT.length);
            exchange.getResponseBody().write(CONTENT, 0, 1000);
            exchange.getResponseBody().flush();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("released");
        };
        Downloader impatient = new Downloader(new PrintWriter(progress), Duration.ofMillis(300));
        try (LocalHttpServer server = new LocalHttpServer(stalling)) {
            try {
                assertThatThrownBy(() -> impatient.pull(source(server), cache))
                        .isInstanceOf(DownloadException.class)
                        .hasMessageContaining("broke off after 1000 bytes (no data for 0.3 s)");
            } finally {
                // Before the server stops: stopping waits for the handler.
                release.countDown();
            }
        }
        assertThat(Files.size(partFile())).isEqualTo(1000);
    }

    @Test
    void fewerBytesThanAnnouncedIsAnErrorThatKeepsThePartialFile() throws Exception {
        // Chunked, so the body ends cleanly: only the announced total can reveal the missing bytes.
        LocalHttpServer.Responder shortChunked = exchange -> {
            exchange.getResponseHeaders().add("Content-Range", "bytes 1000-299999/300000");
            exchange.sendResponseHeaders(206, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(CONTENT, 1000, 5000);
            }
        };
        Files.createDirectories(partFile().getParent());
        Files.write(partFile(), Arrays.copyOf(CONTENT, 1000));
        try (LocalHttpServer server = new LocalHttpServer(shortChunked)) {
            assertThatThrownBy(() -> downloader.pull(source(server), cache))
                    .isInstanceOf(DownloadException.class)
                    .hasMessageContaining("sent 6000 bytes but announced 300000");
        }
        assertThat(cache.resolve(CACHED)).doesNotExist();
        assertThat(Files.size(partFile())).isEqualTo(6000);
    }

    @Test
    void notFoundIsAnErrorThatLeavesNothingBehind() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer(exchange -> exchange.sendResponseHeaders(404, -1))) {
            assertThatThrownBy(() -> downloader.pull(source(server), cache))
                    .isInstanceOf(DownloadException.class)
                    .hasMessageContaining("HTTP 404 (not found)")
                    .hasMessageContaining("/o/r/resolve/main/m.gguf");
        }
        assertThat(cache.resolve(CACHED)).doesNotExist();
        assertThat(partFile()).doesNotExist();
    }

    @Test
    void cachedFileIsReturnedWithoutARequest() throws Exception {
        Files.createDirectories(cache.resolve(CACHED).getParent());
        Files.write(cache.resolve(CACHED), new byte[] {1, 2, 3});
        try (LocalHttpServer server = new LocalHttpServer(LocalHttpServer.serving(CONTENT))) {
            Path file = downloader.pull(source(server), cache);

            assertThat(file).isEqualTo(cache.resolve(CACHED));
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void completePartialFileIsPublishedWhenTheServerSaysNothingIsLeft() throws Exception {
        LocalHttpServer.Responder rangeNotSatisfiable = exchange -> {
            exchange.getResponseHeaders().add("Content-Range", "bytes */" + CONTENT.length);
            exchange.sendResponseHeaders(416, -1);
        };
        Files.createDirectories(partFile().getParent());
        Files.write(partFile(), CONTENT);
        try (LocalHttpServer server = new LocalHttpServer(rangeNotSatisfiable)) {
            Path file = downloader.pull(source(server), cache);

            assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
            assertThat(partFile()).doesNotExist();
        }
    }

    @Test
    void unreachableServerFailsFast() {
        ModelSource source = ModelSource.parse("hf://o/r/m.gguf", "http://127.0.0.1:1");

        assertThatThrownBy(() -> downloader.pull(source, cache))
                .isInstanceOf(DownloadException.class)
                .hasMessageStartingWith("cannot download http://127.0.0.1:1/o/r/resolve/main/m.gguf: ");
    }

    private static ModelSource source(LocalHttpServer server) {
        return ModelSource.parse("hf://o/r/m.gguf", server.endpoint());
    }

    private Path partFile() {
        return cache.resolve(CACHED.resolveSibling("m.gguf.part"));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
