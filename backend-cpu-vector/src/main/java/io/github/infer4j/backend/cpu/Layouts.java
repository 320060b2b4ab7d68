package io.github.infer4j.backend.cpu;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** GGUF data is little-endian and packed: every scalar access says so explicitly. */
final class Layouts {
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private Layouts() {
    }
}
