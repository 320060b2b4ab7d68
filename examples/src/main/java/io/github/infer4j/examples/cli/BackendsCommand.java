package io.github.infer4j.examples.cli;

import io.github.infer4j.BackendStatus;
import io.github.infer4j.Infer4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "backends", description = "List the backends on the class path, best first, and whether each can run here.")
final class BackendsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<BackendStatus> backends = Infer4j.backends();
        if (backends.isEmpty()) {
            out.println("no backend on the class path");
            return 0;
        }
        int width = backends.stream().mapToInt(b -> b.name().length()).max().orElse(0);
        for (BackendStatus backend : backends) {
            out.printf("%-" + width + "s  priority %4d  %s: %s%n", backend.name(), backend.priority(),
                    backend.available() ? "available" : "not available", backend.reason());
        }
        return 0;
    }
}
