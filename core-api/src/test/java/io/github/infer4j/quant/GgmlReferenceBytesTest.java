package io.github.infer4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infer4j.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The formats against ggml itself. The digests below were computed once by calling ggml's
 * {@code quantize_row_<type>_ref} and {@code dequantize_row_<type>} (libggml-base.so of llama.cpp release v0.4.0,
 * x86-64, as shipped in node-llama-cpp 3.21.1) on exactly the data {@link #input} and {@link #randomBlocks}
 * generate, which {@link Random}'s specified algorithm makes the same on every JVM. A mismatch means a byte or a
 * float bit differs from what llama.cpp would write or read.
 */
class GgmlReferenceBytesTest {
    static final int N = 256 * 1024;

    private static final Map<DType, String> QUANTIZED_SHA256 = Map.of(
            DType.Q4_0, "f50f08cddbcff02f5e0e2ca2c1505eeaa1515779dd016068ecc060d5197c4593",
            DType.Q8_0, "9f5f06ef8f447de935beb313d05b9e5a2304a4042b82a2ec51038012686f0b1e",
            DType.Q4_1, "551b2147e3538c2d1c44d8ab337ec3eb55e00578a1c6dd22fbb322660059beca",
            DType.Q5_0, "2624d36559c1cac73e36b4bb47dce3fbc329530532202aaca509a996051f1f00",
            DType.Q5_1, "1630f7e2da8f2606446e8a60694735333cf249927b6cbe185f195c4c5e9cee76",
            DType.Q4_K, "60b3573af9be91075d3dca71bee24f002f3661e5e87aadcbbaa42d882c1ec93d",
            DType.Q5_K, "e0f60f71d7892c8b869fbacd877803fb65c7036cabfb85bc9d8e567610a9d046",
            DType.Q6_K, "a55e78da088d9f4bd78f0ac6c2c864d58e5e8bbebb43e221ed58606482215a94");

    private static final Map<DType, String> DEQUANTIZED_SHA256 = Map.of(
            DType.Q4_0, "e7de019b675555a745e2766200290177b7d756b97f1919e4c8bb37ce3045ce4d",
            DType.Q8_0, "c0661a00816b377eb1ad7aca006564199f9164b6e825b9253f471051b07afd12",
            DType.Q4_1, "51855a7b1c712558d68a0d61fad44a2f6fe703cdab66222f787e8ee76d197784",
            DType.Q5_0, "f242bf46c8924037027f7e7d1cb43426f617c64ee7c3568918033c9bb38b6525",
            DType.Q5_1, "5c77d51f1d633ead21c846535158a0a26b77cf5b3d3d331fd1636a4723c80e75",
            DType.Q4_K, "85f28b5ae963699a7ea836d35786cb81d88e65070b7f0952ce210f5ee5a4cfca",
            DType.Q5_K, "d56a0324b9e4c74fd53347d56522d61a844e8fd88cd42246dea7bf39bbe14fd7",
            DType.Q6_K, "2da4e82f0d449398c58d02d8742acdb1ef2fa8f179d6af75bca7afc47dee4a27");

    /**
     * N floats, one distribution per super-block of 256 in turn: Gaussian, Gaussian with outliers, Gaussian with
     * zeroed 32-runs, all positive, all negative, mixed magnitudes, small integers (rounding ties), a coarse grid,
     * constant runs with negative zeros, sparse; each scaled by a power of ten from 1e-4 to 1e3.
     */
    static float[] input() {
        Random random = new Random(20240611);
        float[] x = new float[N];
        for (int sb = 0; sb < N / 256; sb++) {
            double scale = Math.pow(10, random.nextInt(8) - 4);
            int kind = sb % 10;
            for (int j = 0; j < 256; j++) {
                int i = sb * 256 + j;
                double v = switch (kind) {
                    case 0 -> random.nextGaussian();
                    case 1 -> random.nextGaussian() * (random.nextInt(40) == 0 ? 60 : 1);
                    case 2 -> (j / 32) % 3 == 1 ? 0 : random.nextGaussian();
                    case 3 -> random.nextDouble() + 0.5;
                    case 4 -> -random.nextDouble();
                    case 5 -> (j / 16) % 4 == 0 ? 1e-3 * random.nextGaussian() : random.nextGaussian();
                    case 6 -> random.nextInt(9) - 4;
                    case 7 -> Math.round(random.nextGaussian() * 8) / 8.0;
                    case 8 -> (j / 32) % 2 == 0 ? 0.75 : -0.0;
                    default -> random.nextInt(8) == 0 ? random.nextGaussian() : 0;
                };
                x[i] = (float) (v * scale);
            }
        }
        return x;
    }

    /** Random bytes for N elements of {@code type}; some binary16 fields are infinities or NaNs, as ggml allows. */
    static byte[] randomBlocks(DType type) {
        Random random = new Random(type.ggmlId());
        byte[] bytes = new byte[(int) type.bytesFor(N)];
        random.nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_0", "Q8_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void quantizeWritesTheBytesGgmlWrites(DType type) {
        MemorySegment out = MemorySegment.ofArray(new byte[(int) type.bytesFor(N)]);
        type.format().quantize(input(), 0, N, out, 0);
        assertThat(sha256(out.toArray(ValueLayout.JAVA_BYTE))).as("%s quantized", type)
                .isEqualTo(QUANTIZED_SHA256.get(type));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_0", "Q8_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void dequantizeGivesTheFloatsGgmlGives(DType type) {
        float[] y = new float[N];
        type.format().dequantize(MemorySegment.ofArray(randomBlocks(type)), 0, y, 0, N);
        assertThat(floatsSha256(y)).as("%s dequantized", type).isEqualTo(DEQUANTIZED_SHA256.get(type));
    }

    /** SHA-256 of the floats as little-endian bits, every NaN as the canonical one. */
    static String floatsSha256(float[] y) {
        ByteBuffer buf = ByteBuffer.allocate(4 * y.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : y) {
            buf.putInt(Float.floatToIntBits(v));
        }
        return sha256(buf.array());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
