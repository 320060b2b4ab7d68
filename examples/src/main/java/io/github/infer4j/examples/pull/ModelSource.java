package io.github.infer4j.examples.pull;

import io.github.infer4j.Infer4jException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model to download: the URL to fetch and the path, relative to the cache folder, where it lies once pulled.
 * {@code hf://OWNER/REPO/FILE} is short for the file on the main branch of a Hugging Face repository.
 */
public record ModelSource(URI uri, Path cachePath) {
    public static final String DEFAULT_HF_ENDPOINT = "https://huggingface.co";

    private static final String HF_SCHEME = "hf://";

    /** Whether {@code reference} names something to download rather than a local file. */
    public static boolean isRemote(String reference) {
        return reference.startsWith(HF_SCHEME) || reference.startsWith("https://") || reference.startsWith("http://");
    }

    /**
     * Parses {@code hf://OWNER/REPO/FILE} (resolved against {@code hfEndpoint}) or an http(s) URL.
     *
     * @throws Infer4jException when the reference is neither, or has an empty, "." or ".." path segment
     */
    public static ModelSource parse(String reference, String hfEndpoint) {
        if (reference.startsWith(HF_SCHEME)) {
            return huggingFace(reference, hfEndpoint);
        }
        if (reference.startsWith("https://") || reference.startsWith("http://")) {
            return url(reference);
        }
        throw new Infer4jException("not a model URL: '" + reference + "' (expected hf://OWNER/REPO/FILE or an http(s) URL)");
    }

    private static ModelSource huggingFace(String reference, String hfEndpoint) {
        List<String> segments = segments(reference, reference.substring(HF_SCHEME.length()));
        if (segments.size() < 3) {
            throw new Infer4jException("'" + reference + "' must name a file: hf://OWNER/REPO/FILE");
        }
        String owner = segments.get(0);
        String repo = segments.get(1);
        List<String> file = segments.subList(2, segments.size());
        String endpoint = hfEndpoint.endsWith("/") ? hfEndpoint.substring(0, hfEndpoint.length() - 1) : hfEndpoint;
        String path = "/" + owner + "/" + repo + "/resolve/main/" + String.join("/", file);
        URI uri;
        try {
            URI base = new URI(endpoint);
            uri = new URI(base.getScheme(), base.getAuthority(), base.getPath() + path, null, null);
        } catch (URISyntaxException e) {
            throw new Infer4jException("invalid Hugging Face endpoint '" + hfEndpoint + "': " + e.getMessage(), e);
        }
        return new ModelSource(uri, Path.of("huggingface", segments.toArray(String[]::new)));
    }

    private static ModelSource url(String reference) {
        URI uri;
        try {
            uri = new URI(reference);
        } catch (URISyntaxException e) {
            throw new Infer4jException("invalid URL '" + reference + "': " + e.getMessage(), e);
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().endsWith("/")) {
            throw new Infer4jException("URL '" + reference + "' must name a file on a host");
        }
        List<String> segments = new ArrayList<>();
        segments.add(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + "_" + uri.getPort());
        segments.addAll(segments(reference, uri.getPath().substring(1)));
        return new ModelSource(uri, Path.of(segments.getFirst(), segments.subList(1, segments.size()).toArray(String[]::new)));
    }

    /** Splits a path so that no segment can climb out of the cache folder. */
    private static List<String> segments(String reference, String path) {
        List<String> segments = List.of(path.split("/", -1));
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\\') >= 0) {
                throw new Infer4jException("'" + reference + "' has an invalid path segment '" + segment + "'");
            }
        }
        return segments;
    }
}
