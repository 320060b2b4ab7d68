package io.github.infer4j.examples.bench;

import io.github.infer4j.internal.json.Json;

import java.util.Locale;
import java.util.StringJoiner;

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
        StringJoiner array = new StringJoiner("," + System.lineSeparator() + "  ",
                "[" + System.lineSeparator() + "  ", System.lineSeparator() + "]");
        for (TestResult result : results) {
            BenchTest test = result.test();
            boolean prompt = test.kind() == BenchTest.Kind.PROMPT;
            StringJoiner object = new StringJoiner(", ", "{", "}");
            object.add(field("model_filename", Json.quoted(model.file())))
                    .add(field("model_type", Json.quoted(model.description())))
                    .add(field("model_size", Long.toString(model.sizeBytes())))
                    .add(field("model_n_params", Long.toString(model.parameters())))
                    .add(field("backend", Json.quoted(model.backend())))
                    .add(field("n_threads", Integer.toString(model.threads())))
                    .add(field("test", Json.quoted(test.name())))
                    .add(field("n_prompt", Integer.toString(prompt ? test.tokens() : 0)))
                    .add(field("n_gen", Integer.toString(prompt ? 0 : test.tokens())))
                    .add(field("avg_ts", number(result.meanTokensPerSecond())))
                    .add(field("stddev_ts", number(result.stddevTokensPerSecond())))
                    .add(field("samples_ns", array(result.sampleNanos())))
                    .add(field("samples_ts", array(result.samplesTokensPerSecond())))
                    .add(field("peak_rss_bytes", Long.toString(result.peakResidentBytes())));
            array.add(object.toString());
        }
        return array.toString();
    }

    private static String field(String name, String value) {
        return Json.quoted(name) + ": " + value;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    private static String array(long[] values) {
        StringJoiner out = new StringJoiner(", ", "[", "]");
        for (long value : values) {
            out.add(Long.toString(value));
        }
        return out.toString();
    }

    private static String array(double[] values) {
        StringJoiner out = new StringJoiner(", ", "[", "]");
        for (double value : values) {
            out.add(number(value));
        }
        return out.toString();
    }
}
