package io.github.infer4j.examples.bench;

import java.util.Locale;

/**
 * Prints results in llama-bench's layouts: a Markdown table (one row per test, speed as mean ± standard deviation)
 * and a JSON array with one object per test, using llama-bench's field names where it has them.
 */
public final class BenchReport {
    private static final String ROW = "| %-30s | %10s | %10s | %-10s | %7s | %15s | %20s |";

    private BenchReport() {
    }

    public static String tableHeader() {
        return String.format(Locale.ROOT, ROW, "model", "size", "params", "backend", "threads", "test", "t/s")
                + System.lineSeparator()
                + "| " + "-".repeat(30) + " | " + "-".repeat(9) + ": | " + "-".repeat(9) + ": | " + "-".repeat(10)
                + " | " + "-".repeat(6) + ": | " + "-".repeat(14) + ": | " + "-".repeat(19) + ": |";
    }

    public static String tableRow(ModelSummary model, TestResult result) {
        String speed = String.format(Locale.ROOT, "%.2f ± %.2f", result.meanTokensPerSecond(),
                result.stddevTokensPerSecond());
        return String.format(Locale.ROOT, ROW, model.description(), model.size(), model.params(), model.backend(),
                model.threads(), result.test().name(), speed);
    }

    /** The line after the table: the process's peak resident memory. */
    public static String memoryLine(long peakResidentBytes) {
        return peakResidentBytes < 0 ? "peak RSS: not reported by this system"
                : String.format(Locale.ROOT, "peak RSS: %.1f MiB", peakResidentBytes / (1024.0 * 1024.0));
    }

    public static String json(ModelSummary model, Iterable<TestResult> results) {
        StringBuilder out = new StringBuilder("[");
        String separator = "";
        for (TestResult result : results) {
            out.append(separator).append(System.lineSeparator()).append("  {");
            BenchTest test = result.test();
            field(out, "model_filename", quoted(model.file()), true);
            field(out, "model_type", quoted(model.description()), false);
            field(out, "model_size", Long.toString(model.sizeBytes()), false);
            field(out, "model_n_params", Long.toString(model.parameters()), false);
            field(out, "backend", quoted(model.backend()), false);
            field(out, "n_threads", Integer.toString(model.threads()), false);
            field(out, "test", quoted(test.name()), false);
            field(out, "n_prompt", Integer.toString(test.kind() == BenchTest.Kind.PROMPT ? test.tokens() : 0), false);
            field(out, "n_gen", Integer.toString(test.kind() == BenchTest.Kind.GENERATION ? test.tokens() : 0), false);
            field(out, "avg_ts", number(result.meanTokensPerSecond()), false);
            field(out, "stddev_ts", number(result.stddevTokensPerSecond()), false);
            field(out, "samples_ns", array(result.sampleNanos()), false);
            field(out, "samples_ts", array(result.samplesTokensPerSecond()), false);
            field(out, "peak_rss_bytes", Long.toString(result.peakResidentBytes()), false);
            out.append('}');
            separator = ",";
        }
        return out.append(System.lineSeparator()).append(']').toString();
    }

    private static void field(StringBuilder out, String name, String value, boolean first) {
        out.append(first ? "" : ", ").append('"').append(name).append("\": ").append(value);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    private static String array(long[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return out.append(']').toString();
    }

    private static String array(double[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ", ").append(number(values[i]));
        }
        return out.append(']').toString();
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
