package io.github.infer4j;

/** Stops a running generation from another thread; checked before every generated token. */
public final class CancellationToken {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
