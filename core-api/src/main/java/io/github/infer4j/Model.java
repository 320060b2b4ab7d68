package io.github.infer4j;

import io.github.infer4j.internal.ModelSource;
import io.github.infer4j.model.ModelGraph;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tokenizer.Tokenizer;

/**
 * A loaded model on a backend. Thread-safe: sessions of one model may be used from different threads (their steps
 * run one at a time). Close it to release the mapped files, the backend's threads and its memory; anything used
 * after {@link #close()} throws {@link Infer4jException}.
 */
public final class Model implements AutoCloseable {
    private final ModelSource source;
    private final ModelInfo info;
    private final Tokenizer tokenizer;
    private final ModelGraph graphs;
    private final Backend backend;
    private final LoadedWeights weights;
    private final Plan plan;
    private final int contextLength;
    private final DType kvType;
    private volatile boolean closed;

    Model(ModelSource source, ModelInfo info, Tokenizer tokenizer, ModelGraph graphs, Backend backend,
          LoadedWeights weights, Plan plan, int contextLength, DType kvType) {
        this.source = source;
        this.info = info;
        this.tokenizer = tokenizer;
        this.graphs = graphs;
        this.backend = backend;
        this.weights = weights;
        this.plan = plan;
        this.contextLength = contextLength;
        this.kvType = kvType;
    }

    public ModelInfo info() {
        return info;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public String backendName() {
        return backend.name();
    }

    /** What the backend reports about the work done so far (see {@link Backend#report()}); often empty. */
    public synchronized java.util.Map<String, String> backendReport() {
        ensureOpen();
        return backend.report();
    }

    /** Tokens a session of this model can hold. */
    public int contextLength() {
        return contextLength;
    }

    /** A fresh conversation state with its own KV cache. */
    public Session newSession() {
        ensureOpen();
        KvCacheSpec spec = new KvCacheSpec(graphs.layers(), graphs.kvHeads(), graphs.headDim(), contextLength, kvType);
        return new Session(this, backend.newKvCache(spec));
    }

    public Chat newChat(ChatOptions options) {
        ensureOpen();
        return new Chat(this, options);
    }

    /** Generates a continuation of {@code prompt} (tokenized with BOS as the model's metadata says) in a new session. */
    public GenerationResult generate(String prompt, GenerationOptions options, TokenListener listener) {
        try (Session session = newSession()) {
            return session.generate(tokenizer.encode(prompt, true, true), options, listener);
        }
    }

    /** Runs one step; steps of all sessions share the compiled plan, so they take turns. */
    synchronized void run(int[] tokens, int[] positions, int count, io.github.infer4j.spi.KvCache cache, float[] out) {
        ensureOpen();
        plan.run(tokens, positions, count, cache, out);
    }

    int maxBatch() {
        return plan.maxBatch();
    }

    void ensureOpen() {
        if (closed) {
            throw new Infer4jException("model " + info.file() + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        plan.close();
        weights.close();
        backend.close();
        source.close();
    }
}
