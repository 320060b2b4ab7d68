package io.github.infer4j.reference;

import io.github.infer4j.spi.KvCache;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.tensor.DType;

/** Keys and values in float arrays; an F16 cache rounds every stored value to F16 so it matches real F16 caches. */
final class ReferenceKvCache implements KvCache {
    private final KvCacheSpec spec;
    private final float[][] keys;
    private final float[][] values;

    ReferenceKvCache(KvCacheSpec spec) {
        this.spec = spec;
        int perLayer = Math.multiplyExact(spec.capacity(), spec.kvHeads() * spec.headDim());
        keys = new float[spec.layers()][perLayer];
        values = new float[spec.layers()][perLayer];
    }

    @Override
    public KvCacheSpec spec() {
        return spec;
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
        return spec.type() == DType.F16 ? Float.float16ToFloat(Float.floatToFloat16(x)) : x;
    }

    @Override
    public void close() {
    }
}
