package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.quant.LeveledFormat;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static io.github.infer4j.backend.cpu.Layouts.SHORT;

/**
 * A quantized matrix rewritten at load time into the layout the integer kernels of {@link QuantKernels},
 * {@link AffineKernels} and {@link SixBitKernels} read.
 *
 * <p>The Vector API has no instruction that multiplies bytes and adds neighbouring products (x86's
 * {@code pmaddubsw}/{@code pmaddwd}), so the kernels multiply in 16-bit lanes and sum adjacent pairs of those lanes
 * as one 32-bit lane. The layout makes every 32-bit lane belong to a single block: {@code G} consecutive blocks of a
 * row (a <em>group</em>, {@code G} = the int lanes of a vector, 8 for 256 bits) are interleaved pair by pair, so one
 * vector holds element pair {@code v} of each of the {@code G} blocks, and a vector of block sums is scaled by a
 * vector of the {@code G} block scales at once instead of one block at a time. Every type is cut into blocks of 32
 * (a K-quant super-block into eight): {@link PackedLayout} lists what each stores per group.
 *
 * <p>A group, {@code G} blocks of 32 elements, with element {@code i = 2v + h} of block {@code j}:
 * <ul>
 * <li>Q8_0: 16 runs of {@code 2G} bytes, run {@code v} holding bytes {@code (j, 2v), (j, 2v+1)} for each {@code j};
 *     then the {@code G} binary16 scales. 34 bytes per block, as in the file.</li>
 * <li>every other type starts with the nibble plane: 4 runs of {@code 2G} little-endian shorts; short
 *     {@code 2j + h} of run {@code c} holds in its nibble {@code e} (bits {@code 4e..4e+3}) the low four bits of the
 *     level of element {@code i = 8c + 2e + h}, so the four nibble planes of one run are the element pairs
 *     {@code v = 4c + e}. Q4_0 follows with the {@code G} scales (18 bytes per block, as in the file); the others
 *     with their high bits and float scales (24 to 32 bytes per block, against 18 to 26 in the file: a K-quant's
 *     scale is the product of two stored numbers, kept as one float so that the kernels need no integer rescaling
 *     per block).</li>
 * </ul>
 * Rows are padded to whole groups with zero blocks, which add nothing to a dot product. Rows follow each other, or
 * for Q8_0 and Q4_0 pairs of rows with their groups alternating ({@link RowPairs}), so that a range of rows is one
 * sequential stream. Levels come from the file's blocks through the type's
 * {@link LeveledFormat} (Q8_0 and Q4_0 are copied byte by byte); afterwards the file's pages are never read again.
 */
final class PackedMatrix {
    static final int BLOCK = 32;
    /** Element pairs per block: the vectors of activations one group spans. */
    static final int PAIRS = BLOCK / 2;
    private static final int HALF_EXPONENT = 0x7C00;
    /** Q6_K levels are stored biased to 0..63. */
    private static final int SIX_BIT_BIAS = 32;

    private final String name;
    private final DType type;
    private final PackedLayout layout;
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
        this.layout = PackedLayout.of(type);
        this.rows = rows;
        this.cols = cols;
        this.lanes = lanes;
        this.groups = groupsFor(cols, lanes);
        this.groupBytes = (long) lanes * layout.blockBytes;
        this.rowBytes = groups * groupBytes;
        this.data = data;
    }

    /** Groups of {@code lanes} blocks that hold a row of {@code cols} elements. */
    static int groupsFor(int cols, int lanes) {
        return (cols / BLOCK + lanes - 1) / lanes;
    }

    static boolean packable(Tensor tensor) {
        return PackedLayout.of(tensor.type()) != null && tensor.dims().length >= 2;
    }

    /** Bytes the packed copy of {@code tensor} takes with {@code lanes}-lane groups. */
    static long bytes(Tensor tensor, int lanes) {
        return (long) groupsFor(Math.toIntExact(tensor.cols()), lanes) * lanes
                * PackedLayout.of(tensor.type()).blockBytes * tensor.rows();
    }

    /**
     * Copies {@code tensor} into {@code into} ({@link #bytes} long, zeroed) in the layout for {@code lanes}-lane
     * groups; rows are split among the {@code pool}'s threads. A block whose scale (or offset) is infinite or NaN is
     * rejected: the kernels decode binary16 scales with integer shifts that only cover finite values, and such a
     * block makes a model's output meaningless anyway.
     */
    static PackedMatrix pack(Tensor tensor, int lanes, MemorySegment into, WorkerPool pool) {
        int rows = Math.toIntExact(tensor.rows());
        int cols = Math.toIntExact(tensor.cols());
        PackedMatrix packed = new PackedMatrix(tensor.name(), tensor.type(), rows, cols, lanes, into);
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
        MemorySegment source = MemorySegment.ofArray(src);
        MemorySegment packed = MemorySegment.ofArray(dst);
        int[] levels = new int[Math.max(BLOCK, type.blockSize())];
        float[] scales = new float[levels.length / 16];
        float[] offsets = new float[scales.length];
        for (int r = first; r < end; r++) {
            MemorySegment.copy(tensor.data(), ValueLayout.JAVA_BYTE, (long) r * srcRowBytes, src, 0, srcRowBytes);
            Arrays.fill(dst, (byte) 0);
            if (layout == PackedLayout.Q8_0 || layout == PackedLayout.Q4_0) {
                packLegacyRow(src, dst, levels, r);
            } else {
                packLeveledRow(source, packed, dst, levels, scales, offsets, r);
            }
            if (layout.pairsRows) {
                for (int g = 0; g < groups; g++) {
                    MemorySegment.copy(dst, (int) (g * groupBytes), data, ValueLayout.JAVA_BYTE, groupAt(r, g),
                            (int) groupBytes);
                }
            } else {
                MemorySegment.copy(dst, 0, data, ValueLayout.JAVA_BYTE, r * rowBytes, dst.length);
            }
        }
    }

    /** Offset of group {@code g} of row {@code r}. */
    private long groupAt(int r, int g) {
        if (!layout.pairsRows) {
            return r * rowBytes + g * groupBytes;
        }
        return RowPairs.start(r, rowBytes, groupBytes)
                + (long) g * RowPairs.groupStride(r, rows, (int) groupBytes);
    }

    private void packLegacyRow(byte[] src, byte[] dst, int[] levels, int r) {
        int blocks = cols / BLOCK;
        int srcBlockBytes = type.blockBytes();
        for (int b = 0; b < blocks; b++) {
            int from = b * srcBlockBytes;
            int scale = (src[from] & 0xFF) | (src[from + 1] & 0xFF) << 8;
            if ((scale & HALF_EXPONENT) == HALF_EXPONENT) {
                throw new Infer4jException("tensor " + name + ": block " + b + " of row " + r
                        + " has a non-finite scale (binary16 0x" + Integer.toHexString(scale) + ")");
            }
            int group = (int) ((b / lanes) * groupBytes);
            int j = b % lanes;
            int scaleAt = group + layout.scalesAt * lanes + 2 * j;
            dst[scaleAt] = src[from];
            dst[scaleAt + 1] = src[from + 1];
            int quants = from + 2;
            if (layout == PackedLayout.Q8_0) {
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
                putNibbles(dst, group, j, levels, 0, 0);
            }
        }
    }

    /** {@code scales} and {@code offsets} are scratch for the sub-blocks of one file block. */
    private void packLeveledRow(MemorySegment source, MemorySegment packed, byte[] dst, int[] levels, float[] scales,
                                float[] offsets, int r) {
        LeveledFormat format = (LeveledFormat) type.format();
        int blockSize = format.blockSize();
        int sub = format.subBlockSize();
        int bias = layout == PackedLayout.SIX_BIT ? SIX_BIT_BIAS : 0;
        long high = 16L * lanes;
        long floats = (long) layout.scalesAt * lanes;
        for (int fileBlock = 0; fileBlock < cols / blockSize; fileBlock++) {
            format.levels(source, (long) fileBlock * type.blockBytes(), levels, scales, offsets);
            for (int s = 0; s < blockSize / sub; s++) {
                if (!Float.isFinite(scales[s]) || !Float.isFinite(offsets[s])) {
                    throw new Infer4jException("tensor " + name + ": block " + fileBlock + " of row " + r
                            + " has a non-finite scale or offset (" + scales[s] + ", " + offsets[s] + ")");
                }
            }
            for (int k = 0; k < blockSize / BLOCK; k++) {
                int b = fileBlock * (blockSize / BLOCK) + k;
                int group = (int) ((b / lanes) * groupBytes);
                int j = b % lanes;
                int from = k * BLOCK;
                putNibbles(dst, group, j, levels, from, bias);
                if (layout == PackedLayout.SIX_BIT) {
                    int firstPairs = 0;
                    int lastPairs = 0;
                    for (int i = 0; i < BLOCK; i++) {
                        int bits = ((levels[from + i] + bias) >> 4) & 3;
                        int v = i >> 1;
                        int at = 16 * (i & 1) + 2 * (v & 7);
                        if (v < 8) {
                            firstPairs |= bits << at;
                        } else {
                            lastPairs |= bits << at;
                        }
                    }
                    packed.set(Layouts.INT, group + high + 4L * j, firstPairs);
                    packed.set(Layouts.INT, group + high + 4L * (lanes + j), lastPairs);
                    int s = from / sub;
                    packed.set(Layouts.FLOAT, group + floats + 4L * j, scales[s]);
                    packed.set(Layouts.FLOAT, group + floats + 4L * (lanes + j), scales[(from + PAIRS) / sub]);
                } else {
                    if (layout == PackedLayout.AFFINE_5) {
                        int fifth = 0;
                        for (int i = 0; i < BLOCK; i++) {
                            fifth |= ((levels[from + i] >> 4) & 1) << (16 * (i & 1) + (i >> 1));
                        }
                        packed.set(Layouts.INT, group + high + 4L * j, fifth);
                    }
                    packed.set(Layouts.FLOAT, group + floats + 4L * j, scales[from / sub]);
                    packed.set(Layouts.FLOAT, group + floats + 4L * (lanes + j), offsets[from / sub]);
                }
            }
        }
    }

    /** Writes the low four bits of {@code levels[from..from+32) + bias} as block {@code j}'s share of the nibbles. */
    private void putNibbles(byte[] dst, int group, int j, int[] levels, int from, int bias) {
        for (int run = 0; run < 4; run++) {
            for (int h = 0; h < 2; h++) {
                int at = group + run * 4 * lanes + 2 * (2 * j + h);
                int i = from + 8 * run + h;
                dst[at] = (byte) (((levels[i] + bias) & 0x0F) | ((levels[i + 2] + bias) & 0x0F) << 4);
                dst[at + 1] = (byte) (((levels[i + 4] + bias) & 0x0F) | ((levels[i + 6] + bias) & 0x0F) << 4);
            }
        }
    }

    /** The low four bits of the level of element {@code i} of block {@code j}, from the nibble plane. */
    private int nibble(long group, int j, int i) {
        int run = i >> 3;
        int nibble = (i >> 1) & 3;
        long at = group + (long) run * 4 * lanes + 2L * (2 * j + (i & 1)) + (nibble >> 1);
        return (data.get(ValueLayout.JAVA_BYTE, at) >> (4 * (nibble & 1))) & 0x0F;
    }

    /** Decodes row {@code row} into {@code dst[dstOff..dstOff+cols)} (embedding lookups). */
    void decodeRow(int row, float[] dst, int dstOff) {
        int blocks = cols / BLOCK;
        long high = 16L * lanes;
        long scales = (long) layout.scalesAt * lanes;
        for (int b = 0; b < blocks; b++) {
            long group = groupAt(row, b / lanes);
            int j = b % lanes;
            int out = dstOff + b * BLOCK;
            for (int i = 0; i < BLOCK; i++) {
                int v = i >> 1;
                int h = i & 1;
                dst[out + i] = switch (layout) {
                    case Q8_0 -> data.get(ValueLayout.JAVA_BYTE, group + (long) v * 2 * lanes + 2 * j + h)
                            * Float.float16ToFloat(data.get(SHORT, group + scales + 2L * j));
                    case Q4_0 -> (nibble(group, j, i) - 8)
                            * Float.float16ToFloat(data.get(SHORT, group + scales + 2L * j));
                    case AFFINE_4 -> data.get(Layouts.FLOAT, group + scales + 4L * j) * nibble(group, j, i)
                            + data.get(Layouts.FLOAT, group + scales + 4L * (lanes + j));
                    case AFFINE_5 -> data.get(Layouts.FLOAT, group + scales + 4L * j)
                            * (nibble(group, j, i)
                            | ((data.get(Layouts.INT, group + high + 4L * j) >>> (16 * h + v)) & 1) << 4)
                            + data.get(Layouts.FLOAT, group + scales + 4L * (lanes + j));
                    case SIX_BIT -> {
                        long plane = group + high + 4L * ((v >> 3) * lanes + j);
                        int level = nibble(group, j, i)
                                | ((data.get(Layouts.INT, plane) >>> (16 * h + 2 * (v & 7))) & 3) << 4;
                        yield data.get(Layouts.FLOAT, group + scales + 4L * ((v >> 3) * lanes + j))
                                * (level - SIX_BIT_BIAS);
                    }
                };
            }
        }
    }

    String name() {
        return name;
    }

    DType type() {
        return type;
    }

    PackedLayout layout() {
        return layout;
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
