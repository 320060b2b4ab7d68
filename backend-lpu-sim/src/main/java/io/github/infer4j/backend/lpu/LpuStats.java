package io.github.infer4j.backend.lpu;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The simulated figures of every pass a backend ran, for {@link io.github.infer4j.spi.Backend#report()}: cycles of
 * the passes over prompts (several tokens) and of decoding passes (one token), time to first token, tokens per
 * second per user, and how busy the units were in the latest decoding pass. Passes of one backend take turns.
 */
final class LpuStats {
    private final LpuConfig config;
    private final TraceWriter trace;
    private String mapping = "";
    private double maxSramOccupancy;
    private long passes;
    private long cycles;
    private long promptPasses;
    private long promptTokens;
    private long promptCycles;
    private long decodePasses;
    private long decodeCycles;
    private long firstTokenCycles = -1;
    private TokenTiming lastDecode;

    /** {@code trace}: where passes are recorded for a Chrome trace, or null. */
    LpuStats(LpuConfig config, TraceWriter trace) {
        this.config = config;
        this.trace = trace;
    }

    synchronized void record(TokenTiming timing, Mapping on) {
        mapping = on.describe();
        maxSramOccupancy = Math.max(maxSramOccupancy, (double) on.maxSramBytes() / config.sramBytes());
        if (trace != null) {
            trace.add("pass " + passes, timing, cycles);
        }
        passes++;
        cycles += timing.cycles();
        if (timing.rows() > 1) {
            promptPasses++;
            promptTokens += timing.rows();
            promptCycles += timing.cycles();
        } else if (firstTokenCycles < 0) {
            // The first single-token pass ends the first prompt: either it is that prompt (one token) or the
            // passes before it were.
            firstTokenCycles = promptPasses > 0 ? promptCycles : timing.cycles();
            if (promptPasses > 0) {
                countDecode(timing);
            }
        } else {
            countDecode(timing);
        }
    }

    private void countDecode(TokenTiming timing) {
        decodePasses++;
        decodeCycles += timing.cycles();
        lastDecode = timing;
    }

    synchronized Map<String, String> report() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("lpu.chip", config + String.format(Locale.ROOT, " at %.0f MHz", config.clockHz() / 1e6));
        r.put("lpu.mapping", mapping);
        r.put("lpu.sram", String.format(Locale.ROOT, "%.2f%% of %.1f MiB on the fullest chip", 100 * maxSramOccupancy,
                config.sramBytes() / 1048576.0));
        r.put("lpu.passes", passes + " passes, " + String.format(Locale.ROOT, "%,d", cycles) + " cycles, "
                + ms(cycles) + " simulated");
        r.put("lpu.prompt", promptTokens + " tokens in " + promptPasses + " passes, "
                + String.format(Locale.ROOT, "%,d", promptCycles) + " cycles (" + ms(promptCycles) + ")");
        if (firstTokenCycles >= 0) {
            r.put("lpu.time_to_first_token", ms(firstTokenCycles));
        }
        if (decodePasses > 0) {
            double perToken = (double) decodeCycles / decodePasses;
            r.put("lpu.decode", decodePasses + " tokens, " + String.format(Locale.ROOT, "%,.0f", perToken)
                    + " cycles each (" + String.format(Locale.ROOT, "%.4f", perToken / config.clockHz() * 1e3)
                    + " ms), " + String.format(Locale.ROOT, "%.1f", config.clockHz() / perToken)
                    + " tokens/s per user");
            StringBuilder busy = new StringBuilder();
            lastDecode.utilisation().forEach((type, v) -> busy.append(String.format(Locale.ROOT, "%s %.2f%%, ",
                    type.label(), 100 * v)));
            r.put("lpu.busy", busy.substring(0, busy.length() - 2));
        }
        return r;
    }

    synchronized String traceJson() {
        return trace == null ? null : trace.json();
    }

    private String ms(long c) {
        return String.format(Locale.ROOT, "%.4f ms", c / config.clockHz() * 1e3);
    }
}
