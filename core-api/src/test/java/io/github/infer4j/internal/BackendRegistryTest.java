package io.github.infer4j.internal;

import io.github.infer4j.BackendStatus;
import io.github.infer4j.Infer4jException;
import io.github.infer4j.reference.ReferenceBackendProvider;
import io.github.infer4j.spi.Availability;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.BackendProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendRegistryTest {
    /** A provider that can never run here, as a GPU backend on a machine without a GPU. */
    private static final BackendProvider MISSING_HARDWARE = new BackendProvider() {
        @Override
        public String name() {
            return "gpu";
        }

        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Availability availability() {
            return Availability.no("no GPU found");
        }

        @Override
        public Backend create(BackendOptions options) {
            throw new AssertionError("must not be created while unavailable");
        }
    };

    private static Configuration config(Map<String, String> explicit) {
        return new Configuration(explicit, new Properties(), Map.of(), new Properties());
    }

    private final BackendRegistry registry = new BackendRegistry(List.of(new ReferenceBackendProvider(), MISSING_HARDWARE));

    @Test
    void withoutConfigurationTheBestAvailableBackendIsChosen() {
        try (Backend b = registry.create(config(Map.of()))) {
            assertThat(b.name()).isEqualTo("reference");
        }
    }

    @Test
    void statusesAreOrderedByPriorityWithReasons() {
        assertThat(registry.statuses()).containsExactly(
                new BackendStatus("gpu", 1000, false, "no GPU found"),
                new BackendStatus("reference", 0, true, new ReferenceBackendProvider().availability().reason()));
    }

    @Test
    void unknownBackendListsEveryBackendAndWhy() {
        assertThatThrownBy(() -> registry.create(config(Map.of("backend", "tpu"))))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("unknown backend 'tpu'")
                .hasMessageContaining("gpu (not available: no GPU found)")
                .hasMessageContaining("reference (available");
    }

    @Test
    void unavailableBackendSaysWhy() {
        assertThatThrownBy(() -> registry.create(config(Map.of("backend", "gpu"))))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("backend 'gpu' (from code) is not available: no GPU found");
    }

    @Test
    void serviceLoaderFindsTheReferenceBackend() {
        assertThat(BackendRegistry.discover().statuses()).extracting(BackendStatus::name).contains("reference");
    }
}
