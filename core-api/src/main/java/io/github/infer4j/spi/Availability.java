package io.github.infer4j.spi;

/** Whether a backend can run here, and if not, why (shown to users when they pick it). */
public record Availability(boolean available, String reason) {
    public static Availability yes(String detail) {
        return new Availability(true, detail);
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
