package io.github.infer4j.model;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.Tensor;

import java.util.List;

/**
 * RoPE inverse frequencies with every scaling scheme applied once, here, so graph ops carry plain numbers:
 * {@code rope_freqs.weight} (per-pair divisors written by converters for Llama 3.1+), the Llama 3 formula from
 * {@code rope.scaling.*} keys when that tensor is absent, and linear scaling.
 */
final class RopeFrequencies {
    private static final List<String> SCALING_TYPES = List.of("none", "linear", "llama3");

    private RopeFrequencies() {
    }

    static float[] of(GgufMetadata meta, String arch, int ropeDims, Weights weights, String source) {
        return of(meta, arch, theta(meta, arch + ".rope.freq_base", 10000f, source), ropeDims, weights, source);
    }

    /** The frequencies for base {@code theta} instead of {@code rope.freq_base}, with the file's scaling. */
    static float[] of(GgufMetadata meta, String arch, float theta, int ropeDims, Weights weights, String source) {
        String type = meta.getString(arch + ".rope.scaling.type", "none");
        if (!SCALING_TYPES.contains(type)) {
            throw new Infer4jException(source + ": " + arch + ".rope.scaling.type '" + type
                    + "' is not supported; supported: " + SCALING_TYPES);
        }
        int pairs = ropeDims / 2;
        float[] inv = unscaled(theta, ropeDims);
        if (weights.names().contains("rope_freqs.weight")) {
            Tensor t = weights.tensor("rope_freqs.weight");
            if (t.elementCount() != pairs) {
                throw new Infer4jException(source + ": rope_freqs.weight has " + t.elementCount()
                        + " elements, expected " + pairs + " (rope dimension / 2)");
            }
            float[] factors = new float[pairs];
            t.type().format().dequantize(t.data(), 0, factors, 0, pairs);
            for (int i = 0; i < pairs; i++) {
                inv[i] /= factors[i];
            }
        } else if (type.equals("llama3")) {
            applyLlama3(meta, arch, inv, source);
        }
        if (type.equals("linear")) {
            float factor = meta.getFloat(arch + ".rope.scaling.factor", 1f);
            if (!(factor > 0)) {
                throw new Infer4jException(source + ": " + arch + ".rope.scaling.factor must be positive, got " + factor);
            }
            for (int i = 0; i < pairs; i++) {
                inv[i] /= factor;
            }
        }
        return inv;
    }

    /** The positive base stored under {@code key}, or {@code dflt} when the file has none. */
    static float theta(GgufMetadata meta, String key, float dflt, String source) {
        float theta = meta.getFloat(key, dflt);
        if (!(theta > 0)) {
            throw new Infer4jException(source + ": " + key + " must be positive, got " + theta);
        }
        return theta;
    }

    /** {@code theta^(-2i / ropeDims)} for each pair {@code i}: RoPE without any scaling. */
    static float[] unscaled(float theta, int ropeDims) {
        float[] inv = new float[ropeDims / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / ropeDims));
        }
        return inv;
    }

    /** Meta's Llama 3.1 rule: long wavelengths slowed by {@code factor}, short ones kept, a smooth blend between. */
    private static void applyLlama3(GgufMetadata meta, String arch, float[] inv, String source) {
        float factor = meta.getFloat(arch + ".rope.scaling.factor", 8f);
        float low = meta.getFloat(arch + ".rope.scaling.low_freq_factor", 1f);
        float high = meta.getFloat(arch + ".rope.scaling.high_freq_factor", 4f);
        float original = meta.getFloat(arch + ".rope.scaling.original_context_length", 8192f);
        if (!(factor > 0 && low > 0 && high > low && original > 0)) {
            throw new Infer4jException(source + ": llama3 rope scaling needs factor > 0 and high_freq_factor > "
                    + "low_freq_factor > 0, got factor " + factor + ", low " + low + ", high " + high);
        }
        double lowWavelen = original / low;
        double highWavelen = original / high;
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowWavelen) {
                inv[i] = (float) (inv[i] / factor);
            } else if (wavelen >= highWavelen) {
                double smooth = (original / wavelen - low) / (high - low);
                inv[i] = (float) ((1 - smooth) * inv[i] / factor + smooth * inv[i]);
            }
        }
    }
}
