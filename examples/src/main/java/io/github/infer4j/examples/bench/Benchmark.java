package io.github.infer4j.examples.bench;

import io.github.infer4j.Model;
import io.github.infer4j.Session;

import java.util.SplittableRandom;

/**
 * Times tests the way llama-bench does: random token ids (no tokenizer, no sampling), an empty context at the
 * start of every run, one untimed warm-up run, then the timed repetitions. A prompt goes through
 * {@link Session#process} in one call, which batches it; generation feeds one token per call, each step computing
 * the logits of the next token as a real generation would.
 */
public final class Benchmark implements AutoCloseable {
    private final Session session;
    private final int vocabulary;
    private final int repetitions;
    private final SplittableRandom random;

    /** A benchmark of {@code model} with {@code repetitions} timed runs per test; token ids come from {@code seed}. */
    public Benchmark(Model model, int repetitions, long seed) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, got " + repetitions);
        }
        this.session = model.newSession();
        this.vocabulary = model.info().vocabSize();
        this.repetitions = repetitions;
        this.random = new SplittableRandom(seed);
    }

    public TestResult run(BenchTest test) {
        if (test.tokens() > session.capacity()) {
            throw new IllegalArgumentException(test.name() + " needs a context of " + test.tokens()
                    + " tokens, the model was loaded with " + session.capacity());
        }
        int[] tokens = new int[test.tokens()];
        timeOnce(test, tokens);
        long[] nanos = new long[repetitions];
        for (int r = 0; r < repetitions; r++) {
            nanos[r] = timeOnce(test, tokens);
        }
        return new TestResult(test, nanos, PeakMemory.residentBytes());
    }

    private long timeOnce(BenchTest test, int[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(vocabulary);
        }
        session.reset();
        long start = System.nanoTime();
        if (test.kind() == BenchTest.Kind.PROMPT) {
            session.process(tokens, 0, tokens.length);
        } else {
            for (int i = 0; i < tokens.length; i++) {
                session.process(tokens, i, 1);
            }
        }
        return System.nanoTime() - start;
    }

    @Override
    public void close() {
        session.close();
    }
}
