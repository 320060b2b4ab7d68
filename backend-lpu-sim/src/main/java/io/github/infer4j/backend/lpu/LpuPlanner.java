package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;

/**
 * Plans a model that is only a shape (no weights): compiles it for {@code chips} simulated chips and times a prompt
 * pass and a decoding pass, exactly as the backend times real models, so large models can be sized on any machine.
 * The KV cache is sized for the shape's context length; the decoding pass attends to the prompt plus half the output.
 */
public final class LpuPlanner {
    /** Bytes per element of the planned KV cache: fp16, as the chip holds it. */
    private static final int KV_BYTES = 2;

    private LpuPlanner() {
    }

    public static LpuReport plan(ModelShape shape, LpuPrecision weights, LpuConfig config, int chips,
                                 int promptTokens, int outputTokens) {
        if (promptTokens < 1 || outputTokens < 1 || promptTokens + outputTokens > shape.contextLength()) {
            throw new Infer4jException("the prompt (" + promptTokens + ") and output (" + outputTokens
                    + ") must be positive and fit the context of " + shape.contextLength() + " tokens");
        }
        ModelIr ir = ModelIr.fromShape(shape, weights);
        Mapping mapping = Partitioner.map(ir, config, chips, shape.contextLength(), KV_BYTES, promptTokens);
        LpuProgram program = new LpuProgram(mapping, config, KV_BYTES);
        TokenTiming prefill = program.time(promptTokens, promptTokens);
        TokenTiming decode = program.time(1, promptTokens + outputTokens / 2);
        long n = shape.parameters();
        String model = String.format(java.util.Locale.ROOT, n >= 1e9 ? "%s (%.2f B parameters)" : "%s (%.2f M parameters)",
                shape.name(), n >= 1e9 ? n / 1e9 : n / 1e6);
        return new LpuReport(model, weights.toString(), config, mapping, prefill, decode, promptTokens, outputTokens);
    }
}
