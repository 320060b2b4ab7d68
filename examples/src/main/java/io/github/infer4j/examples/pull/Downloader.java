package io.github.infer4j.examples.pull;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Downloads a model into the cache: resumable (an HTTP range request continues a {@code .part} file left by an
 * earlier attempt), size-checked against what the server announced, and published by an atomic rename so that the
 * cache never holds a half-written model under its final name.
 */
public final class Downloader {
    /** Short, so that a machine without network fails at once instead of seeming to hang. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a body may send nothing before the download is given up (and can be resumed). */
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int BUFFER_BYTES = 1 << 20;

    private final PrintWriter progressOut;
    private final Duration stallTimeout;

    public Downloader(PrintWriter progressOut) {
        this(progressOut, STALL_TIMEOUT);
    }

    public Downloader(PrintWriter progressOut, Duration stallTimeout) {
        this.progressOut = progressOut;
        this.stallTimeout = stallTimeout;
    }

    /**
     * Returns the cached file of {@code source}, downloading it first unless it is already there.
     *
     * @throws DownloadException when the server cannot be reached, answers with an error, stalls, or sends a
     *                           different number of bytes than it announced; a partial file is kept for the next
     *                           attempt
     */
    public Path pull(ModelSource source, Path cacheDir) {
        Path target = cacheDir.resolve(source.cachePath()).toAbsolutePath().normalize();
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new DownloadException("cannot create the cache folder " + target.getParent() + ": " + reason(e), e);
        }
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                lock(channel, target, part);
                new Transfer(client, source.uri(), channel, part, target.getFileName().toString()).run();
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DownloadException("cannot write " + part + ": " + reason(e), e);
        } finally {
            deleteIfEmpty(part);
        }
        return target;
    }

    /** Keeps two pulls of the same model from writing one file; closing the channel releases the lock. */
    private static void lock(FileChannel channel, Path target, Path part) throws IOException {
        if (channel.tryLock() == null) {
            throw new DownloadException("another process is downloading " + target + " (it holds " + part + ")");
        }
    }

    /** One request and the copy of its body into the partial file, watched for stalls. */
    private final class Transfer {
        private final HttpClient client;
        private final URI uri;
        private final FileChannel channel;
        private final Path part;
        private final String label;
        private volatile long lastProgressNanos;
        private volatile boolean stalled;

        Transfer(HttpClient client, URI uri, FileChannel channel, Path part, String label) {
            this.client = client;
            this.uri = uri;
            this.channel = channel;
            this.part = part;
            this.label = label;
        }

        void run() throws IOException {
            long have = channel.size();
            HttpResponse<InputStream> response = send(have);
            try (InputStream body = response.body()) {
                long total;
                switch (response.statusCode()) {
                    case 200 -> {
                        // The server ignored the range (or none was asked): start over.
                        have = 0;
                        channel.truncate(0);
                        total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                    }
                    case 206 -> {
                        ContentRange range = ContentRange.parse(uri, response.headers().firstValue("Content-Range").orElse(null));
                        if (range.first() != have) {
                            throw new DownloadException(uri + " resumed at byte " + range.first() + " but " + have
                                    + " bytes were asked to be skipped");
                        }
                        total = range.total();
                    }
                    case 416 -> {
                        long remoteSize = ContentRange.parse(uri, response.headers().firstValue("Content-Range").orElse(null)).total();
                        if (remoteSize == have) {
                            return;
                        }
                        throw new DownloadException("the partial file " + part + " (" + have + " bytes) does not fit "
                                + uri + " (" + (remoteSize < 0 ? "unknown size" : remoteSize + " bytes")
                                + "); delete it and pull again");
                    }
                    default -> throw new DownloadException(uri + " answered HTTP " + response.statusCode()
                            + (response.statusCode() == 404 ? " (not found)" : ""));
                }
                have = copy(body, have, total);
                if (total >= 0 && have != total) {
                    throw new DownloadException(uri + " sent " + have + " bytes but announced " + total
                            + "; the partial file " + part + " is kept, pull again to resume");
                }
                if (have == 0) {
                    throw new DownloadException(uri + " sent an empty file");
                }
            }
        }

        private HttpResponse<InputStream> send(long have) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(RESPONSE_TIMEOUT)
                    .header("User-Agent", "infer4j");
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            try {
                return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new DownloadException("cannot download " + uri + ": " + reason(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadException("download of " + uri + " interrupted", e);
            }
        }

        private long copy(InputStream body, long have, long total) throws IOException {
            ProgressBar bar = new ProgressBar(progressOut, label, total, have);
            byte[] bytes = new byte[BUFFER_BYTES];
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            channel.position(have);
            lastProgressNanos = System.nanoTime();
            Thread watchdog = Thread.ofVirtual().name("infer4j-download-watchdog").start(this::abortWhenStalled);
            try {
                while (true) {
                    int n;
                    try {
                        n = body.read(bytes);
                    } catch (IOException e) {
                        String why = stalled ? "no data for " + stallTimeout.toMillis() / 1000.0 + " s" : reason(e);
                        throw new DownloadException("download of " + uri + " broke off after " + have + " bytes ("
                                + why + "); the partial file " + part + " is kept, pull again to resume", e);
                    }
                    lastProgressNanos = System.nanoTime();
                    if (n < 0) {
                        return have;
                    }
                    if (total >= 0 && have + n > total) {
                        throw new DownloadException(uri + " sent more than the " + total + " bytes it announced");
                    }
                    buffer.clear().limit(n);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    have += n;
                    bar.update(have);
                }
            } finally {
                watchdog.interrupt();
                bar.finish(have);
            }
        }

        /** The HTTP client has no read timeout; shutting it down is what wakes a read blocked on a silent server. */
        private void abortWhenStalled() {
            long limit = stallTimeout.toNanos();
            try {
                while (true) {
                    long idle = System.nanoTime() - lastProgressNanos;
                    if (idle >= limit) {
                        stalled = true;
                        client.shutdownNow();
                        return;
                    }
                    Thread.sleep(Duration.ofNanos(limit - idle));
                }
            } catch (InterruptedException e) {
                // The copy ended, one way or another.
            }
        }
    }

    private static void deleteIfEmpty(Path part) {
        try {
            if (Files.isRegularFile(part) && Files.size(part) == 0) {
                Files.delete(part);
            }
        } catch (IOException ignored) {
            // An empty leftover only costs a directory entry; the next pull truncates or resumes it anyway.
        }
    }

    /** The most telling message in a chain of causes; the HTTP client often throws exceptions without one. */
    static String reason(Throwable error) {
        if (error instanceof HttpConnectTimeoutException) {
            return "connection timed out after " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
            if (t.getCause() == null) {
                return t.getClass().getSimpleName();
            }
        }
        return error.getClass().getSimpleName();
    }
}
