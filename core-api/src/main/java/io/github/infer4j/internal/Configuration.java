package io.github.infer4j.internal;

import io.github.infer4j.Infer4jException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Settings resolved from, first match wins: code, system property {@code infer4j.KEY}, environment variable
 * {@code INFER4J_KEY} (upper case, dots as underscores), {@code infer4j.properties} on the class path. Keys are
 * stored without the {@code infer4j.} prefix.
 */
public final class Configuration {
    private static final String PREFIX = "infer4j.";
    private static final String ENV_PREFIX = "INFER4J_";

    private final Map<String, String> resolved;
    private final Map<String, String> sources;

    public Configuration(Map<String, String> explicit, Properties systemProperties, Map<String, String> environment,
                         Properties classpathFile) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> from = new HashMap<>();
        // Lowest precedence first, each later layer overwrites.
        classpathFile.stringPropertyNames().forEach(k -> {
            if (k.startsWith(PREFIX)) {
                put(values, from, k.substring(PREFIX.length()), classpathFile.getProperty(k), "infer4j.properties");
            }
        });
        environment.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX)) {
                put(values, from, k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v,
                        "environment variable " + k);
            }
        });
        systemProperties.stringPropertyNames().forEach(k -> {
            if (k.startsWith(PREFIX)) {
                put(values, from, k.substring(PREFIX.length()), systemProperties.getProperty(k), "system property " + k);
            }
        });
        explicit.forEach((k, v) -> put(values, from, k, v, "code"));
        this.resolved = Map.copyOf(values);
        this.sources = Map.copyOf(from);
    }

    /** The configuration of this JVM (system properties, environment, class path file) with {@code explicit} on top. */
    public static Configuration current(Map<String, String> explicit) {
        return new Configuration(explicit, System.getProperties(), System.getenv(), classpathFile());
    }

    private static void put(Map<String, String> values, Map<String, String> from, String key, String value, String source) {
        values.put(key, value);
        from.put(key, source);
    }

    private static Properties classpathFile() {
        Properties p = new Properties();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : Configuration.class.getClassLoader())
                .getResourceAsStream("infer4j.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read infer4j.properties from the class path", e);
        }
        return p;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(resolved.get(key)).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Where a key's value came from, for error messages. */
    public String sourceOf(String key) {
        return sources.getOrDefault(key, "default");
    }

    public int getInt(String key, int defaultValue) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new Infer4jException("infer4j." + key + " (from " + sourceOf(key) + ") must be an integer, got '"
                    + v.get() + "'");
        }
    }

    public Map<String, String> asMap() {
        return resolved;
    }
}
