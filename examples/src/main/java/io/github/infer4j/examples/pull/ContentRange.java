package io.github.infer4j.examples.pull;

import java.net.URI;

/** The parts of an HTTP {@code Content-Range: bytes FIRST-LAST/TOTAL} header a resumed download needs. */
record ContentRange(long first, long total) {
    /** Parses {@code bytes FIRST-LAST/TOTAL} or {@code bytes * /TOTAL}; a total of "*" (unknown) becomes -1. */
    static ContentRange parse(URI uri, String header) {
        if (header == null || !header.startsWith("bytes ")) {
            throw new DownloadException(uri + " sent a partial answer without a valid Content-Range header: " + header);
        }
        String spec = header.substring("bytes ".length()).trim();
        int slash = spec.indexOf('/');
        if (slash < 0) {
            throw new DownloadException(uri + " sent an invalid Content-Range header: " + header);
        }
        try {
            String range = spec.substring(0, slash);
            String total = spec.substring(slash + 1);
            long first = range.equals("*") ? -1 : Long.parseLong(range.substring(0, range.indexOf('-')));
            return new ContentRange(first, total.equals("*") ? -1 : Long.parseLong(total));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new DownloadException(uri + " sent an invalid Content-Range header: " + header, e);
        }
    }
}
