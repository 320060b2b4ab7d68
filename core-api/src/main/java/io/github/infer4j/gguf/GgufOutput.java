package io.github.infer4j.gguf;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Little-endian GGUF primitives over a stream, counting bytes so that padding can be computed. */
final class GgufOutput {
    private final OutputStream out;
    private final byte[] scratch = new byte[8];
    private long position;

    GgufOutput(OutputStream out) {
        this.out = out;
    }

    long position() {
        return position;
    }

    void u8(int v) throws IOException {
        out.write(v);
        position++;
    }

    void u16(int v) throws IOException {
        little(v, 2);
    }

    void u32(long v) throws IOException {
        little(v, 4);
    }

    void u64(long v) throws IOException {
        little(v, 8);
    }

    void string(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        u64(bytes.length);
        bytes(bytes, bytes.length);
    }

    void bytes(byte[] b, int length) throws IOException {
        out.write(b, 0, length);
        position += length;
    }

    /** Copies {@code segment} through {@code buffer}, so that segments of any size are written in bounded memory. */
    void segment(MemorySegment segment, byte[] buffer) throws IOException {
        long size = segment.byteSize();
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(buffer.length, size - done);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, done, buffer, 0, n);
            bytes(buffer, n);
            done += n;
        }
    }

    void padTo(int alignment) throws IOException {
        while (position % alignment != 0) {
            u8(0);
        }
    }

    private void little(long v, int width) throws IOException {
        for (int i = 0; i < width; i++) {
            scratch[i] = (byte) (v >>> (8 * i));
        }
        bytes(scratch, width);
    }
}
