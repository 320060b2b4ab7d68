package io.github.infer4j;

import io.github.infer4j.sampling.Sampler;
import io.github.infer4j.sampling.StopStringMatcher;
import io.github.infer4j.sampling.TokenHistory;
import io.github.infer4j.spi.KvCache;
import io.github.infer4j.tokenizer.TokenDecoder;
import io.github.infer4j.tokenizer.Tokenizer;

import java.util.Arrays;

/**
 * One conversation state: the tokens processed so far and their keys and values in the KV cache. Feeding more
 * tokens continues from where it stopped, so a multi-turn chat never reprocesses earlier turns. Not thread-safe.
 */
public final class Session implements AutoCloseable {
    private final Model model;
    private final KvCache cache;
    private final int capacity;
    private final int[] tokens;
    private final float[] logits;
    private final int[] batchTokens;
    private final int[] batchPositions;
    private int position;
    private boolean closed;

    Session(Model model, KvCache cache) {
        this.model = model;
        this.cache = cache;
        this.capacity = model.contextLength();
        this.tokens = new int[capacity];
        this.logits = new float[model.info().vocabSize()];
        this.batchTokens = new int[model.maxBatch()];
        this.batchPositions = new int[model.maxBatch()];
    }

    /** Tokens processed so far (the next one goes to this position). */
    public int position() {
        return position;
    }

    /** Tokens this session can hold: the model's context length. */
    public int capacity() {
        return capacity;
    }

    /** A copy of the tokens processed so far. */
    public int[] tokens() {
        return Arrays.copyOf(tokens, position);
    }

    /** Forgets everything: the next tokens start at position 0. */
    public void reset() {
        truncate(0);
    }

    /** Keeps only the first {@code newPosition} tokens; later positions of the cache get overwritten. */
    public void truncate(int newPosition) {
        ensureOpen();
        if (newPosition < 0 || newPosition > position) {
            throw new IllegalArgumentException("cannot truncate to " + newPosition + ", session holds " + position);
        }
        position = newPosition;
    }

    /**
     * Processes {@code input} after what the session holds, then generates. Fails before any work when the input
     * does not fit in the context.
     */
    public GenerationResult generate(int[] input, GenerationOptions options, TokenListener listener) {
        ensureOpen();
        if (input.length == 0) {
            throw new Infer4jException("nothing to generate from: the input has no tokens");
        }
        if (input.length > capacity - position) {
            throw new Infer4jException("the prompt has " + input.length + " tokens but the context has room for "
                    + (capacity - position) + " (context length " + capacity + ", " + position + " already used)");
        }
        Tokenizer tokenizer = model.tokenizer();
        long start = System.nanoTime();
        process(input, 0, input.length);
        long promptNanos = System.nanoTime() - start;

        Sampler sampler = new Sampler(options.sampler(), logits.length);
        TokenHistory history = new TokenHistory(capacity);
        for (int i = 0; i < position; i++) {
            history.add(tokens[i]);
        }
        TokenDecoder decoder = tokenizer.newStreamingDecoder();
        StopStringMatcher stops = new StopStringMatcher(options.stopStrings());
        StringBuilder text = new StringBuilder();
        int[] generated = new int[Math.min(capacity, options.maxTokens() < 0 ? capacity : options.maxTokens())];
        int count = 0;
        StopReason reason;
        long genStart = System.nanoTime();
        while (true) {
            if (options.cancellation().isCancelled()) {
                reason = StopReason.CANCELLED;
                break;
            }
            int token = sampler.sample(logits, history);
            if (tokenizer.isEndOfGeneration(token)) {
                reason = StopReason.END_OF_GENERATION;
                break;
            }
            generated[count++] = token;
            history.add(token);
            String piece = stops.accept(decoder.accept(token));
            emit(piece, text, listener);
            if (stops.isStopped()) {
                reason = StopReason.STOP_STRING;
                break;
            }
            if (count == options.maxTokens()) {
                reason = StopReason.MAX_TOKENS;
                break;
            }
            if (position == capacity) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            process(generated, count - 1, 1);
        }
        if (reason != StopReason.STOP_STRING) {
            emit(stops.accept(decoder.flush()), text, listener);
            emit(stops.flush(), text, listener);
        }
        long genNanos = System.nanoTime() - genStart;
        return new GenerationResult(text.toString(), Arrays.copyOf(generated, count), reason, input.length, promptNanos,
                genNanos);
    }

    private static void emit(String piece, StringBuilder text, TokenListener listener) {
        if (!piece.isEmpty()) {
            text.append(piece);
            listener.onText(piece);
        }
    }

    /**
     * Runs {@code input[from..from+n)} through the model in batches; afterwards {@link #logits()} holds the logits
     * after the last of them.
     */
    public void process(int[] input, int from, int n) {
        ensureOpen();
        if (n > capacity - position) {
            throw new Infer4jException(n + " tokens do not fit: the context has room for " + (capacity - position));
        }
        int vocab = logits.length;
        for (int done = 0; done < n; ) {
            int batch = Math.min(batchTokens.length, n - done);
            for (int i = 0; i < batch; i++) {
                int token = input[from + done + i];
                if (token < 0 || token >= vocab) {
                    throw new Infer4jException("token id " + token + " is outside the vocabulary of " + vocab);
                }
                batchTokens[i] = token;
                batchPositions[i] = position + i;
            }
            // Only the last batch's logits are kept: the earlier ones need only fill the cache.
            model.run(batchTokens, batchPositions, batch, cache, done + batch < n ? null : logits);
            System.arraycopy(batchTokens, 0, tokens, position, batch);
            position += batch;
            done += batch;
        }
    }

    /** Logits after the last processed token; overwritten by the next step, so copy what you keep. */
    public float[] logits() {
        return logits;
    }

    private void ensureOpen() {
        model.ensureOpen();
        if (closed) {
            throw new Infer4jException("session is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cache.close();
        }
    }
}
