package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** GGUF and ggml blocks are little-endian and packed, so every access is explicit about order and alignment. */
final class LittleEndian {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    /** The binary16 at byte {@code at}, widened (exactly) to float. */
    static float float16(MemorySegment data, long at) {
        return Float.float16ToFloat(data.get(SHORT, at));
    }

    /** Stores {@code value} rounded to the nearest binary16 (ties to even), as ggml's {@code GGML_FP32_TO_FP16}. */
    static void setFloat16(MemorySegment dst, long at, float value) {
        dst.set(SHORT, at, Float.floatToFloat16(value));
    }
}
