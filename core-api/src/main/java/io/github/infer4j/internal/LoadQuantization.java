package io.github.infer4j.internal;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.util.Locale;

/**
 * The {@code infer4j.quantize} option: re-encode a model's float matrices into Q8_0 or Q4_0 while loading, so a
 * model published in F32, F16 or BF16 (4 or 2 bytes per weight) is computed from 1.0625 (Q8_0) or 0.5625 (Q4_0)
 * bytes per weight. The copies live off-heap next to the mapped files, whose matrices are then not read again.
 */
public final class LoadQuantization {
    public static final String KEY = "quantize";

    private LoadQuantization() {
    }

    /** The target type, or {@code null} for {@code none} (the default): keep the stored types. */
    public static DType target(Configuration config) {
        String value = config.get(KEY).orElse("none").toUpperCase(Locale.ROOT);
        return switch (value) {
            case "NONE" -> null;
            case "Q8_0" -> DType.Q8_0;
            case "Q4_0" -> DType.Q4_0;
            default -> throw new Infer4jException("infer4j." + KEY + " (from " + config.sourceOf(KEY)
                    + ") must be none, Q8_0 or Q4_0, got '" + config.get(KEY).orElseThrow() + "'");
        };
    }

    /**
     * Whether {@code t} is re-encoded into {@code target}: two-dimensional float matrices whose rows fill whole
     * blocks, as llama.cpp's quantizer picks them; vectors (norms) and already quantized tensors stay as stored.
     */
    public static boolean applies(Tensor t, DType target) {
        return target != null && t.dims().length == 2 && !t.type().isQuantized() && t.cols() % target.blockSize() == 0;
    }
}
