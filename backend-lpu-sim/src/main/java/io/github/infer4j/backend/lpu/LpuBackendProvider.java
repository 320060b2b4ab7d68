package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.spi.Availability;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.BackendProvider;

import java.nio.file.Path;
import java.util.Map;

/**
 * The simulated LPU: compiles the model to a static schedule for Groq-style chips, runs it with their numerics and
 * reports the simulated timing ({@code Model.backendReport()}). Always available (it is a simulator) and of low
 * priority, so it runs only when asked for by name. Options (without the {@code infer4j.} prefix):
 * <ul>
 *   <li>{@value #PRESET}: {@code groqchip1} (default), {@code groqchip1-1.25ghz} or {@code next-gen-estimate};</li>
 *   <li>{@value #CHIPS}: how many chips to lay the model over (default 1);</li>
 *   <li>{@value #TRACE}: a file to write a Chrome / Perfetto trace of every pass to when the model closes;</li>
 *   <li>{@code lpu.<figure>}: any figure of {@link LpuConfig.Figure} by its key, e.g. {@code lpu.clock-mhz}.</li>
 * </ul>
 */
public final class LpuBackendProvider implements BackendProvider {
    public static final String PRESET = "lpu.preset";
    public static final String CHIPS = "lpu.chips";
    public static final String TRACE = "lpu.trace";
    private static final String PREFIX = "lpu.";

    @Override
    public String name() {
        return LpuBackend.NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        return Availability.yes("simulated Groq-style LPU: static schedules, chip numerics, cycle counts");
    }

    @Override
    public Backend create(BackendOptions options) {
        return new LpuBackend(config(options), chips(options), trace(options));
    }

    /** The preset named by {@value #PRESET} with every {@code lpu.<figure>} option applied. */
    public static LpuConfig config(BackendOptions options) {
        LpuConfig config = LpuConfig.preset(options.get(PRESET, "groqchip1"));
        for (Map.Entry<String, String> e : options.asMap().entrySet()) {
            String key = e.getKey();
            if (key.startsWith(PREFIX) && !key.equals(PRESET) && !key.equals(CHIPS) && !key.equals(TRACE)) {
                config = config.with(key.substring(PREFIX.length()), e.getValue());
            }
        }
        return config;
    }

    private static int chips(BackendOptions options) {
        int chips = options.getInt(CHIPS, 1);
        if (chips < 1) {
            throw new Infer4jException("option infer4j." + CHIPS + " must be at least 1, got " + chips);
        }
        return chips;
    }

    private static Path trace(BackendOptions options) {
        String path = options.get(TRACE, "").trim();
        return path.isEmpty() ? null : Path.of(path);
    }
}
