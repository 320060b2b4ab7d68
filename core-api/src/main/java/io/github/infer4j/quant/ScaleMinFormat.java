package io.github.infer4j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Q4_K and Q5_K: super-blocks with the {@link ScaleMinSuperBlock} header and element value
 * {@code d * sc[s] * q - dmin * m[s]}, which differ only in the levels after the header. Each subclass reads and
 * writes its own levels; the walk over sub-blocks is shared here, and so is the one level packing both use: the
 * four low bits of sub-blocks {@code 2c} and {@code 2c + 1} share 32 bytes, in their low and high nibbles.
 */
abstract class ScaleMinFormat extends BlockwiseFormat implements LeveledFormat {
    private static final int SUB = ScaleMinSuperBlock.SUB;

    private final int nmax;
    private final float rmin;
    private final int nstep;

    /** {@code nmax}, {@code rmin} and {@code nstep} are the quantizer's, see {@link ScaleMinSuperBlock}. */
    ScaleMinFormat(int blockBytes, int nmax, float rmin, int nstep) {
        super(ScaleMinSuperBlock.ELEMENTS, blockBytes);
        this.nmax = nmax;
        this.rmin = rmin;
        this.nstep = nstep;
    }

    @Override
    final void dequantizeBlock(MemorySegment data, long block, float[] dst, int out) {
        float d = ScaleMinSuperBlock.d(data, block);
        float dmin = ScaleMinSuperBlock.dmin(data, block);
        for (int s = 0; s < ScaleMinSuperBlock.SUBS; s++) {
            float ds = d * ScaleMinSuperBlock.scale(data, block, s);
            float ms = dmin * ScaleMinSuperBlock.min(data, block, s);
            for (int l = 0; l < SUB; l++) {
                dst[out + s * SUB + l] = ds * level(data, block, s, l) - ms;
            }
        }
    }

    @Override
    public final int subBlockSize() {
        return SUB;
    }

    @Override
    public final int minLevel() {
        return 0;
    }

    @Override
    public final int maxLevel() {
        return nmax;
    }

    /** Offsets are {@code -(dmin m)}: adding one is subtracting {@code dmin m}, as {@link #dequantize} does. */
    @Override
    public final void levels(MemorySegment data, long offset, int[] levels, float[] scales, float[] offsets) {
        float d = ScaleMinSuperBlock.d(data, offset);
        float dmin = ScaleMinSuperBlock.dmin(data, offset);
        for (int s = 0; s < ScaleMinSuperBlock.SUBS; s++) {
            scales[s] = d * ScaleMinSuperBlock.scale(data, offset, s);
            offsets[s] = -(dmin * ScaleMinSuperBlock.min(data, offset, s));
            for (int l = 0; l < SUB; l++) {
                levels[s * SUB + l] = level(data, offset, s, l);
            }
        }
    }

    @Override
    final float dotBlock(MemorySegment data, long block, float[] x, int in, float sum) {
        float d = ScaleMinSuperBlock.d(data, block);
        float dmin = ScaleMinSuperBlock.dmin(data, block);
        for (int s = 0; s < ScaleMinSuperBlock.SUBS; s++) {
            float ds = d * ScaleMinSuperBlock.scale(data, block, s);
            float ms = dmin * ScaleMinSuperBlock.min(data, block, s);
            for (int l = 0; l < SUB; l++) {
                sum += (ds * level(data, block, s, l) - ms) * x[in + s * SUB + l];
            }
        }
        return sum;
    }

    @Override
    final BlockQuantizer newQuantizer() {
        ScaleMinSuperBlock superBlock = new ScaleMinSuperBlock(nmax, rmin, nstep);
        byte[] levels = new byte[ScaleMinSuperBlock.ELEMENTS];
        return (src, in, dst, block) -> {
            superBlock.quantize(src, in, dst, block, levels);
            putLevels(levels, dst, block);
        };
    }

    /** Level (0..nmax) of element {@code l} of sub-block {@code s} of the super-block at byte {@code block}. */
    abstract int level(MemorySegment data, long block, int s, int l);

    /** Packs the 256 {@code levels} (each 0..nmax) into the super-block at byte {@code block}, after its header. */
    abstract void putLevels(byte[] levels, MemorySegment dst, long block);

    /** The low four bits of the level of element {@code l} of sub-block {@code s}; the nibbles start at {@code qs}. */
    static int lowNibble(MemorySegment data, long qs, int s, int l) {
        return (data.get(ValueLayout.JAVA_BYTE, qs + (s >> 1) * SUB + l) >> ((s & 1) * 4)) & 0x0F;
    }

    /** Stores the low four bits of each of the 256 {@code levels} as nibbles starting at {@code qs}. */
    static void putLowNibbles(byte[] levels, MemorySegment dst, long qs) {
        for (int c = 0; c < ScaleMinSuperBlock.SUBS / 2; c++) {
            for (int l = 0; l < SUB; l++) {
                int lo = levels[2 * c * SUB + l] & 0x0F;
                int hi = levels[(2 * c + 1) * SUB + l] & 0x0F;
                dst.set(ValueLayout.JAVA_BYTE, qs + c * SUB + l, (byte) (lo | (hi << 4)));
            }
        }
    }
}
