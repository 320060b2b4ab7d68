package io.github.infer4j.model;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufWriter;
import io.github.infer4j.internal.GgufWeights;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RopeFrequenciesTest {
    @TempDir
    Path dir;

    private float[] frequencies(GgufWriter writer, int ropeDims) {
        Path file = dir.resolve("rope" + System.nanoTime() + ".gguf");
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            return RopeFrequencies.of(gguf.metadata(), "llama", ropeDims, new GgufWeights(gguf), file.toString());
        }
    }

    @Test
    void plainFrequenciesFollowTheta() {
        float[] f = frequencies(new GgufWriter().putFloat32("llama.rope.freq_base", 500000f), 64);
        assertThat(f).hasSize(32);
        for (int i = 0; i < 32; i++) {
            assertThat(f[i]).isCloseTo((float) Math.pow(500000, -2.0 * i / 64), within(1e-9f + 1e-6f * f[i]));
        }
    }

    /** Meta's Llama 3.1 values: factor 8, low 1, high 4, original context 8192. */
    @Test
    void llama3ScalingKeepsHighFrequenciesAndSlowsLowOnes() {
        GgufWriter w = new GgufWriter().putFloat32("llama.rope.freq_base", 500000f)
                .putString("llama.rope.scaling.type", "llama3").putFloat32("llama.rope.scaling.factor", 8f)
                .putFloat32("llama.rope.scaling.low_freq_factor", 1f).putFloat32("llama.rope.scaling.high_freq_factor", 4f)
                .putUInt32("llama.rope.scaling.original_context_length", 8192);
        float[] scaled = frequencies(w, 128);
        float[] plain = frequencies(new GgufWriter().putFloat32("llama.rope.freq_base", 500000f), 128);
        // Wavelength 2*pi/f below 8192/4 = 2048: unchanged; above 8192: divided by 8; between: a blend.
        for (int i = 0; i < plain.length; i++) {
            double wavelen = 2 * Math.PI / plain[i];
            if (wavelen < 2048) {
                assertThat(scaled[i]).isEqualTo(plain[i]);
            } else if (wavelen > 8192) {
                assertThat(scaled[i]).isCloseTo(plain[i] / 8, within(plain[i] * 1e-6f));
            } else {
                assertThat(scaled[i]).isBetween(plain[i] / 8, plain[i]);
            }
        }
    }

    @Test
    void ropeFreqsTensorDividesEachPair() {
        float[] factors = {1f, 2f, 4f, 8f};
        GgufWriter w = new GgufWriter().putFloat32("llama.rope.freq_base", 10000f)
                .addTensor("rope_freqs.weight", DType.F32, new long[] {4}, factors);
        float[] f = frequencies(w, 8);
        for (int i = 0; i < 4; i++) {
            assertThat(f[i]).isCloseTo((float) Math.pow(10000, -2.0 * i / 8) / factors[i], within(1e-7f));
        }
    }

    @Test
    void linearScalingDividesEveryFrequency() {
        GgufWriter w = new GgufWriter().putString("llama.rope.scaling.type", "linear").putFloat32("llama.rope.scaling.factor", 4f);
        float[] f = frequencies(w, 8);
        assertThat(f[1]).isCloseTo((float) Math.pow(10000, -2.0 / 8) / 4, within(1e-7f));
    }

    @Test
    void unsupportedScalingTypeIsAnErrorListingTheSupportedOnes() {
        GgufWriter w = new GgufWriter().putString("llama.rope.scaling.type", "yarn");
        assertThatThrownBy(() -> frequencies(w, 8)).isInstanceOf(Infer4jException.class)
                .hasMessageContaining("llama.rope.scaling.type 'yarn' is not supported")
                .hasMessageContaining("[none, linear, llama3]");
    }
}
