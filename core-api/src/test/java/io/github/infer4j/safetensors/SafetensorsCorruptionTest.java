package io.github.infer4j.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.testkit.SafetensorsWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed files end in a {@link SafetensorsFormatException} that names the file, the field and the problem. */
class SafetensorsCorruptionTest {
    @TempDir
    Path dir;

    private Path file(byte[] bytes) throws Exception {
        return Files.write(dir.resolve("bad.safetensors"), bytes);
    }

    private static byte[] withLength(long length, int totalBytes) {
        return ByteBuffer.allocate(totalBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array();
    }

    @Test
    void tooShortForTheHeaderLength() throws Exception {
        Path f = file(new byte[5]);
        assertThatThrownBy(() -> SafetensorsFile.open(f)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(f + ": header length: the file is 5 bytes long; a safetensors file starts with an 8-byte"
                        + " header length");
    }

    @Test
    void implausibleHeaderLengths() throws Exception {
        Path zero = file(withLength(0, 16));
        assertThatThrownBy(() -> SafetensorsFile.open(zero)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(zero + ": header length: 0 is not a plausible header length (1..100000000 bytes)");
        Path huge = file(withLength(-1, 16));
        assertThatThrownBy(() -> SafetensorsFile.open(huge))
                .hasMessageContaining("header length: 18446744073709551615 is not a plausible header length");
        Path beyond = file(withLength(100, 16));
        assertThatThrownBy(() -> SafetensorsFile.open(beyond))
                .hasMessage(beyond + ": header length: the header of 100 bytes does not fit in the file of 16 bytes");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "[1]                                                   | header: expected a JSON object at the top level",
        "{\"w\": {\"dtype\": \"F32\",}}                        | header: line 1, column 23: expected a member name in double quotes, found '}'",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"w\": {}} | header: line 1, column 63: duplicate member name \"w\"",
        "{\"w\": [1]}                                          | tensor 'w': expected an object with dtype, shape and data_offsets, found array",
        "{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}   | tensor 'w' dtype: expected a string, found null",
        "{\"w\": {\"dtype\": \"Q4_0\", \"shape\": [1], \"data_offsets\": [0, 4]}} | tensor 'w' dtype: unknown dtype 'Q4_0'; safetensors defines [BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, I64, U64, F64, C64]",
        "{\"w\": {\"dtype\": \"f32\", \"shape\": [1], \"data_offsets\": [0, 4]}} | tensor 'w' dtype: unknown dtype 'f32'",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}} | tensor 'w' shape: expected an array of integers, found number",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}} | tensor 'w' shape: element 0 is negative: -1",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}} | tensor 'w' shape: element 0 is not an integer that fits in 64 bits (number)",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [\"1\"], \"data_offsets\": [0, 4]}} | tensor 'w' shape: element 0 is not an integer that fits in 64 bits (string)",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}} | tensor 'w' data_offsets: expected 2 integers, found 3",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}} | tensor 'w' data_offsets: [4, 0) is not a range inside the data section of 16 bytes",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [5], \"data_offsets\": [0, 20]}} | tensor 'w' data_offsets: [0, 20) is not a range inside the data section of 16 bytes",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}} | tensor 'w' data_offsets: [0, 8) holds 8 bytes, but F32 [3] needs 12",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 8]}} | tensor 'w' shape: the byte size of F32 [4294967296, 4294967296] overflows 64 bits",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"v\": {\"dtype\": \"F16\", \"shape\": [2], \"data_offsets\": [6, 10]}} | tensor 'v' data_offsets: [6, 10) overlaps tensor 'w' at [0, 8)",
        "{\"__metadata__\": {\"format\": 1}}                  | __metadata__.format: expected a string, found number",
        "{\"__metadata__\": [\"pt\"]}                          | __metadata__: expected an object of strings, found array",
    })
    void malformedHeaders(String header, String message) throws Exception {
        Path f = file(SafetensorsWriter.fileBytes(header, new byte[16]));
        assertThatThrownBy(() -> SafetensorsFile.open(f)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(f + ": " + message);
    }

    @Test
    void headerThatIsNotUtf8() throws Exception {
        byte[] bytes = SafetensorsWriter.fileBytes("{\"w\u00e9\": 1}", new byte[0]);
        bytes[8 + 3] = (byte) 0xFF;
        Path f = file(bytes);
        assertThatThrownBy(() -> SafetensorsFile.open(f)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(f + ": header: byte 3 is not valid UTF-8");
    }

    @Test
    void zeroSizedTensorsMayShareAnOffset() throws Exception {
        Path f = file(SafetensorsWriter.fileBytes("{\"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [0, 0]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", new byte[8]));
        try (SafetensorsFile file = SafetensorsFile.open(f)) {
            assertThat(file.tensor("a").elementCount()).isZero();
            assertThat(file.tensor("b").elementCount()).isEqualTo(2);
        }
    }

    /**
     * Every truncation and thousands of random byte changes of a valid file either open or fail with an
     * {@link Infer4jException}: never another exception, an OutOfMemoryError or a hang.
     */
    @Test
    void damagedFilesFailCleanly() throws Exception {
        Path good = new SafetensorsWriter().metadata("format", "pt")
                .add("model.embed_tokens.weight", DType.BF16, new long[] {8, 4}, new float[32])
                .add("model.norm.weight", DType.F32, new long[] {4}, new float[4])
                .write(dir.resolve("good.safetensors"));
        byte[] original = Files.readAllBytes(good);
        for (int length = 0; length < original.length; length++) {
            openOrFailCleanly(Arrays.copyOf(original, length));
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = original.clone();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                // Mostly inside the header, where the structure is.
                int at = random.nextInt(4) == 0 ? random.nextInt(bytes.length) : random.nextInt(8 + 180);
                bytes[at] = (byte) random.nextInt(256);
            }
            openOrFailCleanly(bytes);
        }
    }

    private void openOrFailCleanly(byte[] bytes) throws Exception {
        Path f = file(bytes);
        try (SafetensorsFile file = SafetensorsFile.open(f)) {
            for (String name : file.names()) {
                try {
                    file.tensor(name);
                } catch (SafetensorsFormatException unusableDtype) {
                    assertThat(unusableDtype).hasMessageContaining("cannot be used as weights");
                }
            }
        } catch (Infer4jException expected) {
            assertThat(expected.getMessage()).startsWith(f.toString());
        }
    }
}
