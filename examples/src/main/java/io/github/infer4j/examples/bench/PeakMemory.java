package io.github.infer4j.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's peak resident set size, as Linux reports it (VmHWM in /proc/self/status): the memory the model
 * really took, mapped weights that were touched included, which the JVM's own heap figures do not show.
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final String FIELD = "VmHWM:";

    private PeakMemory() {
    }

    /** Peak RSS in bytes, or -1 where the system does not report it. */
    public static long residentBytes() {
        try {
            return parse(Files.readAllLines(STATUS));
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** The VmHWM line of a status file ("VmHWM:  123456 kB") in bytes, or -1 if there is none. */
    static long parse(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith(FIELD)) {
                String[] parts = line.substring(FIELD.length()).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals("kB") && parts[0].matches("[0-9]{1,15}")) {
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        }
        return -1;
    }
}
