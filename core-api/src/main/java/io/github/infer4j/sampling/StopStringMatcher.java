package io.github.infer4j.sampling;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Cuts a stream of generated text at the first stop string, without ever letting part of a stop string reach the
 * user. Text comes in as decoded pieces; {@link #accept} returns what is safe to show now and holds back the
 * longest tail that could still grow into a stop string. Once a stop string is complete, the text before it is
 * returned and the stop string and everything after it are dropped.
 *
 * <p>When several stop strings complete in the same piece, the one that ends first wins (the longest of those
 * ending at the same place), which is the one a character-by-character stream would have hit; so the result
 * never depends on how the text was split into pieces.
 *
 * <p>Use one instance per generation; not thread-safe.
 */
public final class StopStringMatcher {
    private final List<String> stopStrings;
    private final int longestStop;
    private final StringBuilder pending = new StringBuilder();
    private String matched;

    /** @param stopStrings strings that end the generation; none of them may be empty. May be an empty list. */
    public StopStringMatcher(List<String> stopStrings) {
        this.stopStrings = List.copyOf(stopStrings);
        int longest = 0;
        for (String stop : this.stopStrings) {
            if (stop.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty, got " + this.stopStrings);
            }
            longest = Math.max(longest, stop.length());
        }
        this.longestStop = longest;
    }

    /**
     * Takes the next piece of generated text.
     *
     * @return the text that can be shown now (possibly empty); if this piece completed a stop string, the text
     *         before it, and {@link #isStopped()} turns true
     * @throws IllegalStateException if a stop string was already found
     */
    public String accept(String newText) {
        if (matched != null) {
            throw new IllegalStateException("stop string " + matched + " was already found; the generation is over");
        }
        pending.append(Objects.requireNonNull(newText, "newText"));
        String text = pending.toString();
        int stopStart = findEarliestEndingStop(text);
        if (stopStart >= 0) {
            pending.setLength(0);
            return text.substring(0, stopStart);
        }
        int safe = text.length() - heldBackLength(text);
        pending.delete(0, safe);
        return text.substring(0, safe);
    }

    /** The text still held back, for when the generation ends for another reason; empty after a stop string. */
    public String flush() {
        String rest = pending.toString();
        pending.setLength(0);
        return rest;
    }

    public boolean isStopped() {
        return matched != null;
    }

    /** The stop string that ended the text, once there is one. */
    public Optional<String> stopString() {
        return Optional.ofNullable(matched);
    }

    /** Sets {@link #matched} and returns where it starts in {@code text}, or -1 if no stop string is complete. */
    private int findEarliestEndingStop(String text) {
        int bestStart = -1;
        int bestEnd = Integer.MAX_VALUE;
        for (String stop : stopStrings) {
            int start = text.indexOf(stop);
            if (start < 0) {
                continue;
            }
            int end = start + stop.length();
            if (end < bestEnd || (end == bestEnd && start < bestStart)) {
                bestStart = start;
                bestEnd = end;
                matched = stop;
            }
        }
        return bestStart;
    }

    /** Length of the longest tail of {@code text} that is a proper prefix of some stop string. */
    private int heldBackLength(String text) {
        int length = text.length();
        for (int tail = Math.min(length, longestStop - 1); tail > 0; tail--) {
            for (String stop : stopStrings) {
                if (stop.length() > tail && stop.regionMatches(0, text, length - tail, tail)) {
                    return tail;
                }
            }
        }
        return 0;
    }
}
