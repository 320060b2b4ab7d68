package io.github.infer4j;

/** A backend found on the class path, and whether it can run here (with the reason). */
public record BackendStatus(String name, int priority, boolean available, String reason) {
}
