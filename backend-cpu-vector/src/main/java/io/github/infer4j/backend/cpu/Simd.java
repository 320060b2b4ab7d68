package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shape the kernels run with. C2 only turns Vector API calls into machine vectors when the species is a
 * compile-time constant, so each shape is a subclass returning its species from static finals: a backend loads just
 * the subclass it uses, class hierarchy analysis then devirtualizes these getters and the species fold to constants.
 * (A JVM that loads several shapes, as the tests do, still computes correctly, only slower.)
 */
abstract sealed class Simd permits Simd.Bits128, Simd.Bits256, Simd.Bits512 {
    /** The widest shape we have kernels for; wider hardware (e.g. SVE 2048) runs 512-bit vectors. */
    static final int MAX_BITS = 512;

    abstract VectorSpecies<Float> floats();

    /** Integers of the same shape as {@link #floats()}: half floats are decoded in integer lanes. */
    abstract VectorSpecies<Integer> ints();

    /** Shorts with as many lanes as {@link #floats()}, so a load of F16 or BF16 widens lane for lane. */
    abstract VectorSpecies<Short> halfShorts();

    /** Shorts of the same shape as {@link #floats()}: the lanes of the integer dot products. */
    abstract VectorSpecies<Short> shorts();

    /** Bytes with as many lanes as {@link #shorts()}, so a load of Q8_0 quants widens lane for lane. */
    abstract VectorSpecies<Byte> halfBytes();

    static int hardwareBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    static Simd withBits(int bits) {
        return switch (bits) {
            case 128 -> new Bits128();
            case 256 -> new Bits256();
            case 512 -> new Bits512();
            default -> throw new Infer4jException("option infer4j." + CpuVectorBackendProvider.VECTOR_BITS
                    + " must be 128, 256 or 512, got " + bits);
        };
    }

    static Simd preferred() {
        return withBits(Math.min(MAX_BITS, hardwareBits()));
    }

    @Override
    public String toString() {
        return floats().vectorBitSize() + "-bit";
    }

    static final class Bits128 extends Simd {
        private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_128;
        private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_128;
        private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_128;
        private static final VectorSpecies<Short> HALF_SHORTS = ShortVector.SPECIES_64;
        private static final VectorSpecies<Byte> HALF_BYTES = ByteVector.SPECIES_64;

        @Override
        VectorSpecies<Float> floats() {
            return FLOATS;
        }

        @Override
        VectorSpecies<Integer> ints() {
            return INTS;
        }

        @Override
        VectorSpecies<Short> shorts() {
            return SHORTS;
        }

        @Override
        VectorSpecies<Short> halfShorts() {
            return HALF_SHORTS;
        }

        @Override
        VectorSpecies<Byte> halfBytes() {
            return HALF_BYTES;
        }
    }

    static final class Bits256 extends Simd {
        private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
        private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
        private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_256;
        private static final VectorSpecies<Short> HALF_SHORTS = ShortVector.SPECIES_128;
        private static final VectorSpecies<Byte> HALF_BYTES = ByteVector.SPECIES_128;

        @Override
        VectorSpecies<Float> floats() {
            return FLOATS;
        }

        @Override
        VectorSpecies<Integer> ints() {
            return INTS;
        }

        @Override
        VectorSpecies<Short> shorts() {
            return SHORTS;
        }

        @Override
        VectorSpecies<Short> halfShorts() {
            return HALF_SHORTS;
        }

        @Override
        VectorSpecies<Byte> halfBytes() {
            return HALF_BYTES;
        }
    }

    static final class Bits512 extends Simd {
        private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_512;
        private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
        private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_512;
        private static final VectorSpecies<Short> HALF_SHORTS = ShortVector.SPECIES_256;
        private static final VectorSpecies<Byte> HALF_BYTES = ByteVector.SPECIES_256;

        @Override
        VectorSpecies<Float> floats() {
            return FLOATS;
        }

        @Override
        VectorSpecies<Integer> ints() {
            return INTS;
        }

        @Override
        VectorSpecies<Short> shorts() {
            return SHORTS;
        }

        @Override
        VectorSpecies<Short> halfShorts() {
            return HALF_SHORTS;
        }

        @Override
        VectorSpecies<Byte> halfBytes() {
            return HALF_BYTES;
        }
    }
}
