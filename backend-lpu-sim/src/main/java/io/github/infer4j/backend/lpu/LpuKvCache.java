package io.github.infer4j.backend.lpu;

import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.tensor.DType;

/** Keys and values as the chips' KV slices hold them: fp16 (rounded on store) or fp32, as the spec says. */
final class LpuKvCache implements KvCache {
    private final KvCacheSpec spec;
    private final float[][] keys;
    private final float[][] values;

    LpuKvCache(KvCacheSpec spec) {
        this.spec = spec;
        int perLayer = Math.multiplyExact(spec.capacity(), spec.kvHeads() * spec.headDim());
        keys = new float[spec.layers()][perLayer];
        values = new float[spec.layers()][perLayer];
    }

    @Override
    public KvCacheSpec spec() {
        return spec;
    }

    /** Bytes per element on the chip. */
    int elementBytes() {
        return spec.type() == DType.F16 ? 2 : 4;
    }

    void store(int layer, int position, float[] k, float[] v, int offset) {
        int width = spec.kvHeads() * spec.headDim();
        int base = position * width;
        for (int i = 0; i < width; i++) {
            keys[layer][base + i] = round(k[offset + i]);
            values[layer][base + i] = round(v[offset + i]);
        }
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    private float round(float x) {
        return spec.type() == DType.F16 ? ChipMatrix.toHalf(x) : x;
    }

    @Override
    public void close() {
    }
}
