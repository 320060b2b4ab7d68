package io.github.infer4j.examples.pull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HTTP server on 127.0.0.1 for download tests; records the Range header of every request. */
public final class LocalHttpServer implements AutoCloseable {
    /** Answers one request. */
    @FunctionalInterface
    public interface Responder {
        void respond(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public LocalHttpServer(Responder responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            requests.add(exchange.getRequestURI().getPath() + (range == null ? "" : " " + range));
            // An exception escaping here makes the server drop the connection: how a responder cuts a body short.
            try (exchange) {
                responder.respond(exchange);
            }
        });
        server.start();
    }

    /**
     * Serves {@code content} with byte-range support, but drops the connection after its first {@code cutAfter}
     * bytes.
     */
    public static Responder serving(byte[] content, int cutAfter) {
        return exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            int first = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            if (range != null) {
                exchange.getResponseHeaders().add("Content-Range",
                        "bytes " + first + "-" + (content.length - 1) + "/" + content.length);
            }
            exchange.sendResponseHeaders(range == null ? 200 : 206, content.length - first);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(content, first, Math.min(content.length, cutAfter) - first);
            }
        };
    }

    public static Responder serving(byte[] content) {
        return serving(content, content.length);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public String endpoint() {
        return uri("").toString();
    }

    /** Each request's path, followed by its Range header if it had one. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
