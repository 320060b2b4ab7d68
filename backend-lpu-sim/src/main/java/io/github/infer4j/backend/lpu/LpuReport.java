package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a plan predicts for one user: the prompt's pass (time to first token), a decoding pass in the middle of the
 * output (time per output token), where the cycles go, and how full the chips are. Every figure is a function of
 * the model, the configuration and the workload only: planning the same thing twice gives the same report.
 */
public final class LpuReport {
    private final String model;
    private final String weights;
    private final LpuConfig config;
    private final Mapping mapping;
    private final TokenTiming prefill;
    private final TokenTiming decode;
    private final int promptTokens;
    private final int outputTokens;

    LpuReport(String model, String weights, LpuConfig config, Mapping mapping, TokenTiming prefill,
              TokenTiming decode, int promptTokens, int outputTokens) {
        this.model = model;
        this.weights = weights;
        this.config = config;
        this.mapping = mapping;
        this.prefill = prefill;
        this.decode = decode;
        this.promptTokens = promptTokens;
        this.outputTokens = outputTokens;
    }

    /** The model planned, with its parameter count. */
    public String model() {
        return model;
    }

    public LpuConfig config() {
        return config;
    }

    public int chipsUsed() {
        return mapping.chipsUsed();
    }

    public int tensorParallel() {
        return mapping.tensorParallel();
    }

    public int pipelineStages() {
        return mapping.stages().size();
    }

    /** How the model was laid over the chips, in words. */
    public String mappingDescription() {
        return mapping.describe();
    }

    /** Cycles of the pass over the whole prompt. */
    public long prefillCycles() {
        return prefill.cycles();
    }

    /** Cycles of one decoding pass, at the KV length of the middle of the output. */
    public long decodeCycles() {
        return decode.cycles();
    }

    public double timeToFirstTokenSeconds() {
        return config.seconds(prefill.cycles());
    }

    public double timePerOutputTokenSeconds() {
        return config.seconds(decode.cycles());
    }

    public double tokensPerSecondPerUser() {
        return 1 / timePerOutputTokenSeconds();
    }

    /** Tokens per second of the whole system with a user's token in every pipeline stage. */
    public double systemTokensPerSecond() {
        return 1 / config.seconds(decode.bottleneckCycles());
    }

    /** Largest SRAM any chip uses, in bytes. */
    public long maxSramBytes() {
        return mapping.maxSramBytes();
    }

    public double maxSramOccupancy() {
        return (double) mapping.maxSramBytes() / config.sramBytes();
    }

    public double meanSramOccupancy() {
        return mapping.meanSramBytes() / config.sramBytes();
    }

    /** Busy fraction of each unit type during a decoding pass, by unit label. */
    public Map<String, Double> decodeUtilisation() {
        Map<String, Double> u = new LinkedHashMap<>();
        decode.utilisation().forEach((type, v) -> u.put(type.label(), v));
        return u;
    }

    public double decodeLinkUtilisation() {
        return decode.linkUtilisation();
    }

    /** Cycles each kind of kernel adds to a decoding pass; they sum to {@link #decodeCycles()}. */
    public Map<String, Long> decodeCyclesByKind() {
        return decode.cyclesByKind();
    }

    public String table() {
        StringBuilder sb = new StringBuilder();
        line(sb, "model", model + ", " + weights + " weights");
        line(sb, "chip", config + String.format(Locale.ROOT, ", %.0f MHz, %.0f int8 TOPS, %.1f MiB SRAM",
                config.clockHz() / 1e6, config.int8Tops(), config.sramBytes() / 1048576.0)
                + (config.estimated() ? "  ** ESTIMATED, not a published part **" : ""));
        line(sb, "mapping", mapping.describe());
        line(sb, "workload", promptTokens + " prompt tokens, " + outputTokens + " output tokens, one user");
        line(sb, "time to first token", String.format(Locale.ROOT, "%.3f ms  (%,d cycles)",
                timeToFirstTokenSeconds() * 1e3, prefill.cycles()));
        line(sb, "time per output token", String.format(Locale.ROOT, "%.3f ms  (%,d cycles, KV length %d)",
                timePerOutputTokenSeconds() * 1e3, decode.cycles(), decode.kvLength()));
        line(sb, "tokens/s per user", String.format(Locale.ROOT, "%.1f", tokensPerSecondPerUser()));
        line(sb, "system tokens/s", String.format(Locale.ROOT, "%.0f  (a user's token in each of %d stages)",
                systemTokensPerSecond(), pipelineStages()));
        line(sb, "SRAM per chip", String.format(Locale.ROOT, "max %.1f MiB (%.1f%%), mean %.1f%% of %.1f MiB",
                mapping.maxSramBytes() / 1048576.0, 100 * maxSramOccupancy(), 100 * meanSramOccupancy(),
                config.sramBytes() / 1048576.0));
        line(sb, "links (decode)", String.format(Locale.ROOT, "%.3f%% of %d x %.0f GB/s per chip, %,.0f bytes",
                100 * decode.linkUtilisation(), config.c2cLinks(), config.linkBytesPerSecond() / 1e9,
                decode.linkBytes()));
        line(sb, "MACs (decode)", String.format(Locale.ROOT, "%.3f%% of the int8 peak", 100 * decode.macUtilisation()));
        StringBuilder util = new StringBuilder();
        decode.utilisation().forEach((type, v) -> util.append(String.format(Locale.ROOT, "%s %.2f%%  ", type.label(),
                100 * v)));
        line(sb, "busy (decode)", util.toString().trim());
        sb.append("decode cycles by kernel kind (cycles each adds to the pass):\n");
        decode.cyclesByKind().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sb.append(String.format(Locale.ROOT, "  %-12s %,14d  %5.1f%%%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / Math.max(1, decode.cycles()))));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-22s %s%n", key, value));
    }

    /** The prompt pass followed by one decoding pass as a Chrome / Perfetto trace. */
    public String traceJson() {
        TraceWriter trace = new TraceWriter(config, 100_000);
        trace.add("prefill", prefill, 0);
        trace.add("decode", decode, prefill.cycles());
        return trace.json();
    }

    public void writeTrace(Path file) {
        try {
            Files.writeString(file, traceJson());
        } catch (IOException e) {
            throw new Infer4jException("cannot write the LPU trace to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return table();
    }
}
