package io.github.infer4j;

/** Why a generation ended. */
public enum StopReason {
    /** The model produced an end-of-generation token (EOS, end of turn). */
    END_OF_GENERATION,
    /** The text reached one of the stop strings; the stop string is not part of the result. */
    STOP_STRING,
    /** The requested number of tokens was generated. */
    MAX_TOKENS,
    /** The context window is full. */
    CONTEXT_FULL,
    /** {@link CancellationToken#cancel()} was called. */
    CANCELLED
}
