package io.github.infer4j.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.infer4j.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed input must end in a {@link GgufFormatException} that names the file, and in nothing else. */
class GgufCorruptionTest {
    @TempDir
    Path dir;

    private int fileCounter;

    @Test
    void theUncorruptedFileOpens() {
        try (GgufFile f = GgufFile.open(write(SmallGguf.build().toArray()))) {
            assertThat(f.tensorInfos()).hasSize(2);
        }
    }

    @Test
    void emptyFile() {
        GgufFormatException e = expectFormatError(new byte[0]);
        assertThat(e.field()).isEqualTo("magic");
        assertThat(e.getMessage()).contains("empty");
    }

    @Test
    void truncationAtEveryByteIsReported() {
        byte[] full = SmallGguf.build().toArray();
        for (int length = 0; length < full.length; length++) {
            expectFormatError(Arrays.copyOf(full, length));
        }
    }

    @Test
    void truncationInsideAFieldNamesThatField() {
        GgufBytes b = SmallGguf.build();
        GgufFormatException e = expectFormatError(Arrays.copyOf(b.toArray(), b.at("t0dim1") + 3));
        assertThat(e.field()).isEqualTo("tensor a dims[1]");
        assertThat(e.offset()).isEqualTo(b.at("t0dim1"));
        assertThat(e.getMessage()).contains("truncated");
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                corrupt("magic", "magic", b -> set(b, "magic", 4, 0x58554747)),
                corrupt("version 1", "version", b -> set(b, "version", 4, 1)),
                corrupt("version 4", "version", b -> set(b, "version", 4, 4)),
                corrupt("big-endian version", "version", b -> set(b, "version", 4, 0x0300_0000)),
                corrupt("huge tensor_count", "tensor_count", b -> set(b, "tensor_count", 8, 1L << 40)),
                corrupt("negative tensor_count", "tensor_count", b -> set(b, "tensor_count", 8, -1)),
                corrupt("tensor_count beyond infos", "tensor ", b -> set(b, "tensor_count", 8, 9)),
                corrupt("huge kv count", "metadata_kv_count", b -> set(b, "metadata_kv_count", 8, 1L << 40)),
                corrupt("negative kv count", "metadata_kv_count", b -> set(b, "metadata_kv_count", 8, -1)),
                corrupt("huge key length", "metadata key #0 length", b -> set(b, "key0", 8, 1L << 40)),
                corrupt("negative key length", "metadata key #0 length", b -> set(b, "key0", 8, -1)),
                corrupt("string value longer than file", "general.architecture length",
                        b -> set(b, "value0", 8, 1L << 62)),
                corrupt("unknown value type", "general.architecture value type", b -> set(b, "type0", 4, 13)),
                corrupt("value type -1", "general.architecture value type", b -> set(b, "type0", 4, -1)),
                corrupt("nested array", "test.tokens array element type", b -> set(b, "elementType", 4, 9)),
                corrupt("unknown element type", "test.tokens array element type",
                        b -> set(b, "elementType", 4, 77)),
                corrupt("huge array", "test.tokens array length", b -> set(b, "arrayLength", 8, 1L << 40)),
                corrupt("negative array length", "test.tokens array length", b -> set(b, "arrayLength", 8, -1)),
                corrupt("bool 2", "test.flag1", b -> set(b, "bool", 1, 2)),
                corrupt("alignment 0", "general.alignment", b -> set(b, "alignment", 4, 0)),
                corrupt("alignment 48", "general.alignment", b -> set(b, "alignment", 4, 48)),
                corrupt("alignment 2^31", "general.alignment", b -> set(b, "alignment", 4, 1L << 31)),
                corrupt("alignment as int32", "general.alignment", b -> set(b, "type1", 4, 5)),
                corrupt("duplicate key", "test.flag1", b -> set(b, "key5", 8 + 10, duplicateKeyBytes())),
                corrupt("n_dims 0", "tensor a n_dims", b -> set(b, "t0ndims", 4, 0)),
                corrupt("n_dims 5", "tensor a n_dims", b -> set(b, "t0ndims", 4, 5)),
                corrupt("dim 0", "tensor a dims[1]", b -> set(b, "t0dim1", 8, 0)),
                corrupt("negative dim", "tensor a dims[0]", b -> set(b, "t0dim0", 8, -4)),
                corrupt("element count overflow", "tensor a dims", b -> {
                    set(b, "t0dim0", 8, 1L << 40);
                    set(b, "t0dim1", 8, 1L << 40);
                }),
                corrupt("byte size overflow", "tensor a dims", b -> {
                    set(b, "t0dim0", 8, 1L << 31);
                    set(b, "t0dim1", 8, 1L << 31);
                }),
                corrupt("unsupported ggml type", "tensor a type", b -> set(b, "t0type", 4, 11)),
                corrupt("unknown ggml type", "tensor a type", b -> set(b, "t0type", 4, 99)),
                corrupt("row not a multiple of the block", "tensor b dims[0]", b -> set(b, "t1dim0", 8, 16)),
                corrupt("misaligned offset", "tensor a offset", b -> set(b, "t0offset", 8, 32)),
                corrupt("offset beyond file", "tensor b offset", b -> set(b, "t1offset", 8, 128)),
                corrupt("offset near 2^64", "tensor a offset", b -> set(b, "t0offset", 8, -64)),
                corrupt("data past the end", "tensor b offset", b -> set(b, "t1dim0", 8, 64)),
                corrupt("overlapping tensors", "tensor", b -> set(b, "t1offset", 8, 0)),
                corrupt("duplicate tensor name", "tensor a", b -> set(b, "t1name", 9, duplicateNameBytes())));
    }

    private record Corrupted(GgufBytes marks, byte[] bytes) {
    }

    private static Arguments corrupt(String what, String field, Consumer<Corrupted> change) {
        return Arguments.of(what, field, change);
    }

    private static void set(Corrupted c, String mark, int width, long value) {
        GgufBytes.put(c.bytes(), c.marks().at(mark), width, value);
    }

    private static void set(Corrupted c, String mark, int width, byte[] replacement) {
        System.arraycopy(replacement, 0, c.bytes(), c.marks().at(mark), width);
    }

    /** Key "test.flag2" rewritten as "test.flag1" (same length), so the first key repeats. */
    private static byte[] duplicateKeyBytes() {
        return new GgufBytes().str("test.flag1").toArray();
    }

    private static byte[] duplicateNameBytes() {
        return new GgufBytes().str("a").toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void corruptFieldIsReportedByName(String what, String field, Consumer<Corrupted> change) {
        GgufBytes marks = SmallGguf.build();
        Corrupted c = new Corrupted(marks, marks.toArray());
        change.accept(c);
        GgufFormatException e = expectFormatError(c.bytes());
        assertThat(e.field()).as(e.getMessage()).startsWith(field);
        assertThat(e.offset()).as(e.getMessage()).isBetween(0L, (long) c.bytes().length);
    }

    @Test
    void unsupportedTypeNamesTheIdAndTheTensor() {
        GgufBytes b = SmallGguf.build();
        byte[] bytes = b.toArray();
        GgufBytes.put(bytes, b.at("t0type"), 4, 11);
        assertThat(expectFormatError(bytes).getMessage()).contains("tensor a type", "11", "Q3_K", "not supported");
    }

    @Test
    void randomBytesAreRejected() {
        Random random = new Random(20240601);
        for (int i = 0; i < 100; i++) {
            byte[] bytes = new byte[random.nextInt(400)];
            random.nextBytes(bytes);
            expectFormatError(bytes);
        }
    }

    @Test
    void randomBytesAfterAValidPreambleAreRejected() {
        Random random = new Random(77);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[24 + random.nextInt(400)];
            random.nextBytes(bytes);
            GgufBytes.put(bytes, 0, 4, GgufParser.MAGIC);
            GgufBytes.put(bytes, 4, 4, 3);
            // Small counts, so that parsing gets past the counts into the entries themselves.
            GgufBytes.put(bytes, 8, 8, random.nextInt(4));
            GgufBytes.put(bytes, 16, 8, random.nextInt(4));
            Throwable t = catchThrowable(() -> GgufFile.open(write(bytes)).close());
            if (t != null) {
                assertFormatError(t);
            }
        }
    }

    @Test
    void randomlyMutatedHeadersOpenCleanlyOrFailCleanly() {
        GgufBytes b = SmallGguf.build();
        byte[] valid = b.toArray();
        Random random = new Random(4242);
        for (int i = 0; i < 400; i++) {
            byte[] bytes = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(b.at("data"))] ^= (byte) (1 << random.nextInt(8));
            }
            Throwable t = catchThrowable(() -> {
                try (GgufFile file = GgufFile.open(write(bytes))) {
                    for (GgufTensorInfo info : file.tensorInfos()) {
                        Tensor tensor = file.tensor(info.name());
                        assertThat(tensor.data().byteSize()).isEqualTo(info.byteSize());
                    }
                }
            });
            if (t != null) {
                assertFormatError(t);
            }
        }
    }

    private GgufFormatException expectFormatError(byte[] bytes) {
        Path file = write(bytes);
        Throwable t = catchThrowable(() -> GgufFile.open(file).close());
        assertFormatError(t);
        GgufFormatException e = (GgufFormatException) t;
        assertThat(e.file()).isEqualTo(file);
        return e;
    }

    private static void assertFormatError(Throwable t) {
        assertThat(t).isInstanceOf(GgufFormatException.class);
        GgufFormatException e = (GgufFormatException) t;
        assertThat(e.getMessage()).startsWith(e.file() + ": ").contains(e.field());
    }

    private Path write(byte[] bytes) {
        Path file = dir.resolve("case" + (fileCounter++) + ".gguf");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
