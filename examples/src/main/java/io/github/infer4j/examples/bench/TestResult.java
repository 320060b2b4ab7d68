package io.github.infer4j.examples.bench;

/** The timed repetitions of one test: mean and sample standard deviation of their speeds, as llama-bench reports. */
public record TestResult(BenchTest test, long[] sampleNanos, long peakResidentBytes) {
    public TestResult {
        if (sampleNanos.length == 0) {
            throw new IllegalArgumentException("a result needs at least one timed repetition");
        }
        sampleNanos = sampleNanos.clone();
    }

    @Override
    public long[] sampleNanos() {
        return sampleNanos.clone();
    }

    /** Tokens per second of each repetition. */
    public double[] samplesTokensPerSecond() {
        double[] speeds = new double[sampleNanos.length];
        for (int i = 0; i < speeds.length; i++) {
            speeds[i] = test.tokens() * 1e9 / sampleNanos[i];
        }
        return speeds;
    }

    public double meanTokensPerSecond() {
        double sum = 0;
        for (double speed : samplesTokensPerSecond()) {
            sum += speed;
        }
        return sum / sampleNanos.length;
    }

    /** Sample standard deviation (n - 1 in the denominator); 0 for a single repetition. */
    public double stddevTokensPerSecond() {
        if (sampleNanos.length < 2) {
            return 0;
        }
        double mean = meanTokensPerSecond();
        double squares = 0;
        for (double speed : samplesTokensPerSecond()) {
            squares += (speed - mean) * (speed - mean);
        }
        return Math.sqrt(squares / (sampleNanos.length - 1));
    }
}
