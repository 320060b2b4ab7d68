package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.github.infer4j.backend.cpu.Layouts.SHORT;

/**
 * A Q8_0 or Q4_0 matrix rewritten at load time into the layout the integer kernels of {@link QuantKernels} read.
 *
 * <p>The Vector API has no instruction that multiplies bytes and adds neighbouring products (x86's
 * {@code pmaddubsw}/{@code pmaddwd}), so the kernels multiply in 16-bit lanes and sum adjacent pairs of those lanes
 * as one 32-bit lane. The layout makes every 32-bit lane belong to a single block: {@code G} consecutive blocks of a
 * row (a <em>group</em>, {@code G} = the int lanes of a vector, 8 for 256 bits) are interleaved pair by pair, so one
 * vector holds element pair {@code v} of each of the {@code G} blocks, and a vector of block sums is scaled by a
 * vector of the {@code G} block scales at once instead of one block at a time.
 *
 * <p>A group, {@code G} blocks of 32 elements, with element {@code i = 2v + h} of block {@code j}:
 * <ul>
 * <li>Q8_0: 16 runs of {@code 2G} bytes, run {@code v} holding bytes {@code (j, 2v), (j, 2v+1)} for each {@code j};
 *     then the {@code G} binary16 scales. 34 bytes per block, as in the file.</li>
 * <li>Q4_0: 4 runs of {@code 2G} little-endian shorts; short {@code 2j + h} of run {@code c} holds in its nibble
 *     {@code e} (bits {@code 4e..4e+3}) the stored level (0..15, value + 8) of element {@code i = 8c + 2e + h}, so the
 *     four nibble planes of one run are the element pairs {@code v = 4c + e}; then the {@code G} scales. 18 bytes per
 *     block, as in the file.</li>
 * </ul>
 * Rows are padded to whole groups with zero blocks, which add nothing to a dot product. Rows follow each other, so a
 * range of rows is one sequential stream. The copy costs as much memory as the tensor in the file; afterwards the
 * file's pages are never read again.
 */
final class PackedMatrix {
    static final int BLOCK = 32;
    /** Element pairs per block: the vectors of activations one group spans. */
    static final int PAIRS = BLOCK / 2;
    private static final int HALF_EXPONENT = 0x7C00;

    private final String name;
    private final DType type;
    private final int rows;
    private final int cols;
    private final int lanes;
    private final int groups;
    private final long groupBytes;
    private final long rowBytes;
    private final MemorySegment data;

    private PackedMatrix(String name, DType type, int rows, int cols, int lanes, MemorySegment data) {
        this.name = name;
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.lanes = lanes;
        this.groups = groupsFor(cols, lanes);
        this.groupBytes = (long) lanes * type.blockBytes();
        this.rowBytes = groups * groupBytes;
        this.data = data;
    }

    /** Groups of {@code lanes} blocks that hold a row of {@code cols} elements. */
    static int groupsFor(int cols, int lanes) {
        return (cols / BLOCK + lanes - 1) / lanes;
    }

    static boolean packable(Tensor tensor) {
        return (tensor.type() == DType.Q8_0 || tensor.type() == DType.Q4_0) && tensor.dims().length >= 2;
    }

    /**
     * Copies {@code tensor} into {@code arena} in the layout for {@code lanes}-lane groups; rows are split among the
     * {@code pool}'s threads. A block whose scale is infinite or NaN is rejected: the kernels decode scales with
     * integer shifts that only cover finite values, and such a block makes a model's output meaningless anyway.
     */
    static PackedMatrix pack(Tensor tensor, int lanes, Arena arena, WorkerPool pool) {
        int rows = Math.toIntExact(tensor.rows());
        int cols = Math.toIntExact(tensor.cols());
        long bytes = (long) groupsFor(cols, lanes) * lanes * tensor.type().blockBytes() * rows;
        PackedMatrix packed = new PackedMatrix(tensor.name(), tensor.type(), rows, cols, lanes,
                arena.allocate(bytes, 64));
        int chunks = Math.min(rows, WorkerPool.MAX_CHUNKS);
        pool.run((worker, chunk) -> {
            int first = (int) ((long) chunk * rows / chunks);
            int end = (int) ((long) (chunk + 1) * rows / chunks);
            packed.packRows(tensor, first, end);
        }, chunks);
        return packed;
    }

    /** Builds each row in a heap buffer and copies it out whole: per-element segment accesses cost far more. */
    private void packRows(Tensor tensor, int first, int end) {
        int srcRowBytes = Math.toIntExact(tensor.rowBytes());
        byte[] src = new byte[srcRowBytes];
        byte[] dst = new byte[Math.toIntExact(rowBytes)];
        int[] levels = new int[BLOCK];
        int blocks = cols / BLOCK;
        int srcBlockBytes = type.blockBytes();
        // Every byte of dst is rewritten for each row except those of padding blocks, which stay zero.
        for (int r = first; r < end; r++) {
            MemorySegment.copy(tensor.data(), ValueLayout.JAVA_BYTE, (long) r * srcRowBytes, src, 0, srcRowBytes);
            for (int b = 0; b < blocks; b++) {
                int from = b * srcBlockBytes;
                int scale = (src[from] & 0xFF) | (src[from + 1] & 0xFF) << 8;
                if ((scale & HALF_EXPONENT) == HALF_EXPONENT) {
                    throw new Infer4jException("tensor " + name + ": block " + b + " of row " + r
                            + " has a non-finite scale (binary16 0x" + Integer.toHexString(scale) + ")");
                }
                int group = (int) ((b / lanes) * groupBytes);
                int j = b % lanes;
                int scaleAt = group + (type == DType.Q8_0 ? 32 : 16) * lanes + 2 * j;
                dst[scaleAt] = src[from];
                dst[scaleAt + 1] = src[from + 1];
                int quants = from + 2;
                if (type == DType.Q8_0) {
                    for (int v = 0; v < PAIRS; v++) {
                        int at = group + v * 2 * lanes + 2 * j;
                        dst[at] = src[quants + 2 * v];
                        dst[at + 1] = src[quants + 2 * v + 1];
                    }
                } else {
                    // Stored byte i holds element i (low nibble) and element i + 16 (high nibble).
                    for (int i = 0; i < PAIRS; i++) {
                        levels[i] = src[quants + i] & 0x0F;
                        levels[i + PAIRS] = (src[quants + i] >> 4) & 0x0F;
                    }
                    for (int run = 0; run < 4; run++) {
                        for (int h = 0; h < 2; h++) {
                            int at = group + run * 4 * lanes + 2 * (2 * j + h);
                            int i = 8 * run + h;
                            dst[at] = (byte) (levels[i] | levels[i + 2] << 4);
                            dst[at + 1] = (byte) (levels[i + 4] | levels[i + 6] << 4);
                        }
                    }
                }
            }
            MemorySegment.copy(dst, 0, data, ValueLayout.JAVA_BYTE, r * rowBytes, dst.length);
        }
    }

    /** The byte of a Q4_0 group holding element {@code i} of block {@code j}: run, short, then nibble pair. */
    private long q4Byte(long group, int j, int i) {
        int run = i >> 3;
        int nibble = (i >> 1) & 3;
        return group + (long) run * 4 * lanes + 2L * (2 * j + (i & 1)) + (nibble >> 1);
    }

    private static int q4Shift(int i) {
        return 4 * ((i >> 1) & 1);
    }

    /** Decodes row {@code row} into {@code dst[dstOff..dstOff+cols)} (embedding lookups). */
    void decodeRow(int row, float[] dst, int dstOff) {
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long group = row * rowBytes + (b / lanes) * groupBytes;
            int j = b % lanes;
            int out = dstOff + b * BLOCK;
            if (type == DType.Q8_0) {
                float d = Float.float16ToFloat(data.get(SHORT, group + 32L * lanes + 2L * j));
                for (int i = 0; i < BLOCK; i++) {
                    dst[out + i] = data.get(ValueLayout.JAVA_BYTE, group + (long) (i >> 1) * 2 * lanes + 2 * j + (i & 1))
                            * d;
                }
            } else {
                float d = Float.float16ToFloat(data.get(SHORT, group + 16L * lanes + 2L * j));
                for (int i = 0; i < BLOCK; i++) {
                    int level = (data.get(ValueLayout.JAVA_BYTE, q4Byte(group, j, i)) >> q4Shift(i)) & 0x0F;
                    dst[out + i] = (level - 8) * d;
                }
            }
        }
    }

    String name() {
        return name;
    }

    DType type() {
        return type;
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    int groups() {
        return groups;
    }

    long rowBytes() {
        return rowBytes;
    }

    MemorySegment data() {
        return data;
    }
}
