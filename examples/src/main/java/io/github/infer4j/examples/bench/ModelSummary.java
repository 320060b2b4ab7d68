package io.github.infer4j.examples.bench;

import io.github.infer4j.Model;
import io.github.infer4j.ModelInfo;
import io.github.infer4j.tensor.DType;

import java.util.Locale;
import java.util.Map;

/**
 * The model columns of a llama-bench row. {@code description} reads like llama.cpp's, e.g. "llama 1B Q8_0":
 * architecture, size class from the parameter count, and the weight type of most tensors other than the F32 norms.
 */
public record ModelSummary(String file, String description, long sizeBytes, long parameters, String backend,
                           int threads) {
    public static ModelSummary of(Model model, int threads) {
        ModelInfo info = model.info();
        String description = info.architecture() + " " + sizeClass(info.parameterCount()) + " "
                + mainType(info.tensorTypes());
        return new ModelSummary(info.file().toString(), description, info.fileSize(), info.parameterCount(),
                model.backendName(), threads);
    }

    /** "1B" for 1.24 billion parameters, "135M" for 134.5 million, "260K" below a million. */
    static String sizeClass(long parameters) {
        if (parameters >= 1_000_000_000L) {
            return Math.round(parameters / 1e9) + "B";
        }
        if (parameters >= 1_000_000L) {
            return Math.round(parameters / 1e6) + "M";
        }
        return Math.round(parameters / 1e3) + "K";
    }

    /** The most common type, F32 counting only when nothing else is there (the norms of every model are F32). */
    static String mainType(Map<DType, Integer> tensorTypes) {
        DType main = null;
        // In DType order, so that a tie always picks the same type.
        for (DType type : DType.values()) {
            Integer count = tensorTypes.get(type);
            if (type != DType.F32 && count != null && (main == null || count > tensorTypes.get(main))) {
                main = type;
            }
        }
        return main == null ? "all F32" : main.name();
    }

    /** Size as llama-bench prints it: MiB below a GiB, else GiB. */
    String size() {
        double mib = sizeBytes / (1024.0 * 1024.0);
        return mib < 1024 ? String.format(Locale.ROOT, "%.2f MiB", mib)
                : String.format(Locale.ROOT, "%.2f GiB", mib / 1024);
    }

    /** Parameter count as llama-bench prints it: millions below a billion, else billions. */
    String params() {
        return parameters < 1_000_000_000L ? String.format(Locale.ROOT, "%.2f M", parameters / 1e6)
                : String.format(Locale.ROOT, "%.2f B", parameters / 1e9);
    }
}
