package io.github.infer4j.examples.pull;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place with carriage returns. Redraws are throttled so that a fast local
 * download does not spend its time printing, and so that a log file of stderr stays short.
 */
public final class ProgressBar {
    private static final long REDRAW_INTERVAL_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final long startBytes;
    private final long startNanos;
    private long lastDrawNanos;

    /**
     * @param total      the full size in bytes, or -1 when the server did not say
     * @param startBytes the bytes already present (resumed download), excluded from the speed
     */
    public ProgressBar(PrintWriter out, String label, long total, long startBytes) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.startBytes = startBytes;
        this.startNanos = System.nanoTime();
        this.lastDrawNanos = startNanos - REDRAW_INTERVAL_NANOS;
    }

    public void update(long bytes) {
        long now = System.nanoTime();
        if (now - lastDrawNanos >= REDRAW_INTERVAL_NANOS) {
            lastDrawNanos = now;
            draw(bytes, now);
        }
    }

    /** Draws the final state and ends the line. */
    public void finish(long bytes) {
        draw(bytes, System.nanoTime());
        out.println();
        out.flush();
    }

    private void draw(long bytes, long now) {
        out.print('\r');
        out.print(render(bytes, now - startNanos));
        out.flush();
    }

    String render(long bytes, long elapsedNanos) {
        StringBuilder line = new StringBuilder(label).append(' ');
        if (total > 0) {
            long percent = Math.min(100, bytes * 100 / total);
            int filled = (int) (Math.min(bytes, total) * WIDTH / total);
            line.append(String.format(Locale.ROOT, "%3d%% [", percent))
                .append("=".repeat(filled))
                .append(" ".repeat(WIDTH - filled))
                .append("] ")
                .append(mebibytes(bytes)).append(" / ").append(mebibytes(total));
        } else {
            line.append(mebibytes(bytes));
        }
        double seconds = elapsedNanos / 1e9;
        if (seconds > 0) {
            line.append("  ").append(mebibytes((long) ((bytes - startBytes) / seconds))).append("/s");
        }
        return line.toString();
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
