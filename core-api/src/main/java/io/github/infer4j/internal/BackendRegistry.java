package io.github.infer4j.internal;

import io.github.infer4j.BackendStatus;
import io.github.infer4j.Infer4jException;
import io.github.infer4j.spi.Availability;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.BackendProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds backends with {@link ServiceLoader} and picks one: the configured name, else the best available. */
public final class BackendRegistry {
    private final List<BackendProvider> providers;

    public BackendRegistry(List<BackendProvider> providers) {
        List<BackendProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        this.providers = List.copyOf(sorted);
    }

    public static BackendRegistry discover() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(found::add);
        return new BackendRegistry(found);
    }

    public List<BackendStatus> statuses() {
        List<BackendStatus> list = new ArrayList<>();
        for (BackendProvider p : providers) {
            Availability a = safeAvailability(p);
            list.add(new BackendStatus(p.name(), p.priority(), a.available(), a.reason()));
        }
        return list;
    }

    /** Creates the backend named by {@code backend} in the configuration, or the highest-priority available one. */
    public Backend create(Configuration config) {
        BackendOptions options = new BackendOptions(config.asMap());
        String wanted = config.get("backend").orElse(null);
        if (wanted == null) {
            for (BackendProvider p : providers) {
                if (safeAvailability(p).available()) {
                    return p.create(options);
                }
            }
            throw new Infer4jException("no backend is available; " + describe());
        }
        for (BackendProvider p : providers) {
            if (p.name().equals(wanted)) {
                Availability a = safeAvailability(p);
                if (!a.available()) {
                    throw new Infer4jException("backend '" + wanted + "' (from " + config.sourceOf("backend")
                            + ") is not available: " + a.reason() + "; " + describe());
                }
                return p.create(options);
            }
        }
        throw new Infer4jException("unknown backend '" + wanted + "' (from " + config.sourceOf("backend") + "); "
                + describe());
    }

    private String describe() {
        if (providers.isEmpty()) {
            return "no backend is on the class path (add infer4j-backend-cpu-vector)";
        }
        StringBuilder sb = new StringBuilder("backends: ");
        for (BackendStatus s : statuses()) {
            if (sb.length() > "backends: ".length()) {
                sb.append(", ");
            }
            sb.append(s.name()).append(s.available() ? " (available: " : " (not available: ").append(s.reason()).append(')');
        }
        return sb.toString();
    }

    /** A provider whose check throws is reported as unavailable instead of breaking every other backend. */
    private static Availability safeAvailability(BackendProvider p) {
        try {
            return p.availability();
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("availability check failed: " + e);
        }
    }
}
