package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;

import java.util.Locale;

/**
 * How a weight matrix sits in the chip's SRAM and which matrix mode multiplies it. The planes have no other modes,
 * so every GGUF type maps to one of these (docs/LPU.md, "Numerics").
 */
public enum LpuPrecision {
    /** One signed byte per weight with one fp32 scale per output row; int8 x int8 products, int32 sums. */
    INT8(1),
    /** IEEE binary16 weights; fp16 x fp16 products, fp32 sums, at a quarter of the int8 MAC rate. */
    FP16(2);

    private final int bytes;

    LpuPrecision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes one weight takes in SRAM. */
    public int bytes() {
        return bytes;
    }

    /** Block-quantized GGUF types become int8; float types become fp16. */
    static LpuPrecision of(DType type) {
        return type.isQuantized() ? INT8 : FP16;
    }

    public static LpuPrecision parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "int8", "q8_0", "q8" -> INT8;
            case "fp16", "f16", "half" -> FP16;
            default -> throw new Infer4jException("weights must be int8 or fp16, got '" + text + "'");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
