package io.github.infer4j.testkit;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real model files in {@code ../shared/models} (folder from the system property {@code infer4j.shared.dir},
 * set by the build). Tests that need them are skipped, not failed, where the folder is absent, so the suite also
 * stands alone; CI has the folder.
 */
public final class SharedModels {
    private SharedModels() {
    }

    /** {@code models/NAME} under the shared folder; skips the calling test when it is missing. */
    public static Path file(String name) {
        String dir = System.getProperty("infer4j.shared.dir", "../shared");
        Path path = Path.of(dir, "models", name);
        Assumptions.assumeTrue(Files.isRegularFile(path), () -> "shared model file missing: " + path);
        return path;
    }
}
