package io.github.infer4j.safetensors;

import io.github.infer4j.tensor.DType;

/**
 * The element types a safetensors header may name, with their sizes so that every tensor's extent can be checked,
 * and the Infer4j type for the ones a model can be computed in ({@code null} for the others).
 */
enum SafetensorsDType {
    BOOL(1, null),
    U8(1, null),
    I8(1, null),
    F8_E5M2(1, null),
    F8_E4M3(1, null),
    F8_E8M0(1, null),
    I16(2, null),
    U16(2, null),
    F16(2, DType.F16),
    BF16(2, DType.BF16),
    I32(4, null),
    U32(4, null),
    F32(4, DType.F32),
    I64(8, null),
    U64(8, null),
    F64(8, null),
    C64(8, null);

    private final int bytes;
    private final DType type;

    SafetensorsDType(int bytes, DType type) {
        this.bytes = bytes;
        this.type = type;
    }

    int bytes() {
        return bytes;
    }

    /** The Infer4j type, or {@code null} when Infer4j cannot compute with this one. */
    DType type() {
        return type;
    }

    /** The type named {@code name} in a header (names are case-sensitive, as in the format), or {@code null}. */
    static SafetensorsDType forName(String name) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
