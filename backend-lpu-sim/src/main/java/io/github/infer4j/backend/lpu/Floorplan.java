package io.github.infer4j.backend.lpu;

/**
 * Where the functional slices sit along the chip's east-west axis, and a flat numbering of every unit that takes
 * instructions. Mirrored hemispheres around the central vector unit, as in the TSP paper's floorplan:
 * {@code MXM | SXM | MEM x half | VXM | MEM x half | SXM | MXM}. Data moves one position per cycle, so the
 * distance between two positions is the cycles a vector spends on a stream between them.
 *
 * <p>In each hemisphere the innermost SRAM slices serve activations ({@code activation-slices}), the next ones the
 * KV cache ({@code kv-slices}); the others hold weights, split evenly between the hemisphere's planes.
 */
final class Floorplan {
    static final int WEST = 0;
    static final int EAST = 1;

    private final int half;
    private final int planes;
    private final int activationSlices;
    private final int kvSlices;
    private final int alus;
    private final int links;
    private final int center;

    private final int memWriteBase;
    private final int installBase;
    private final int computeBase;
    private final int vxmBase;
    private final int sxmBase;
    private final int linkBase;
    private final int icu;

    Floorplan(LpuConfig config) {
        this.half = config.memSlices() / 2;
        this.planes = config.mxmPlanes();
        this.activationSlices = config.activationSlices();
        this.kvSlices = config.kvSlices();
        this.alus = config.vxmAlusPerLane();
        this.links = config.c2cLinks();
        this.center = 2 + half;
        int slices = 2 * half;
        memWriteBase = slices;
        installBase = 2 * slices;
        computeBase = installBase + planes;
        vxmBase = computeBase + planes;
        sxmBase = vxmBase + alus;
        linkBase = sxmBase + 2;
        icu = linkBase + links;
    }

    int unitCount() {
        return icu + 1;
    }

    int planes() {
        return planes;
    }

    int alus() {
        return alus;
    }

    int links() {
        return links;
    }

    // Positions.

    int memPos(int slice) {
        return slice < half ? 2 + slice : center + 1 + (slice - half);
    }

    int mxmPos(int plane) {
        return hemisphereOfPlane(plane) == WEST ? 0 : 2 * center;
    }

    int sxmPos(int hemisphere) {
        return hemisphere == WEST ? 1 : 2 * center - 1;
    }

    int vxmPos() {
        return center;
    }

    /** The chip-to-chip modules feed the streams at the chip's centre line. */
    int c2cPos() {
        return center;
    }

    int hemisphereOfPlane(int plane) {
        return plane < planes / 2 ? WEST : EAST;
    }

    /** How many stretches of the stream registers {@link #segments} tells apart. */
    static final int SEGMENTS = 4;

    /**
     * The stretches of stream registers data crosses between two positions, as bits: 1 the west half's outer part
     * (weights and planes), 2 its inner part (activation and KV slices, next to the vector unit), 4 and 8 the same
     * in the east half. Flows that stay near the vector unit then never block weight installs at the edges.
     */
    int segments(int from, int to) {
        int lo = Math.min(from, to);
        int hi = Math.max(from, to);
        int inner = activationSlices + kvSlices;
        int[] bounds = {0, center - inner, center, center + inner + 1, 2 * center + 1};
        int mask = 0;
        for (int seg = 0; seg < SEGMENTS; seg++) {
            if (lo < bounds[seg + 1] && hi >= bounds[seg]) {
                mask |= 1 << seg;
            }
        }
        return mask;
    }

    /** The SRAM slices activations are read from and written to: the innermost of both hemispheres. */
    int[] activationSlices() {
        return inner(0, activationSlices);
    }

    /** The SRAM slices the KV cache is read from and written to: next to the activation slices. */
    int[] kvSlices() {
        return inner(activationSlices, kvSlices);
    }

    private int[] inner(int skip, int count) {
        int[] s = new int[2 * count];
        for (int i = 0; i < count; i++) {
            s[i] = half - 1 - skip - i;
            s[count + i] = half + skip + i;
        }
        return s;
    }

    /** The weight slices of {@code plane}, outermost first. */
    int[] weightSlices(int plane) {
        int perHemisphere = planes / 2;
        int group = (half - activationSlices - kvSlices) / perHemisphere;
        int q = plane % perHemisphere;
        int[] s = new int[group];
        for (int i = 0; i < group; i++) {
            s[i] = hemisphereOfPlane(plane) == WEST ? q * group + i : 2 * half - 1 - (q * group + i);
        }
        return s;
    }

    // Units.

    int memRead(int slice) {
        return slice;
    }

    int memWrite(int slice) {
        return memWriteBase + slice;
    }

    int mxmInstall(int plane) {
        return installBase + plane;
    }

    int mxmCompute(int plane) {
        return computeBase + plane;
    }

    int vxm(int alu) {
        return vxmBase + alu;
    }

    int sxm(int hemisphere) {
        return sxmBase + hemisphere;
    }

    int link(int link) {
        return linkBase + link;
    }

    int icu() {
        return icu;
    }

    UnitType typeOf(int unit) {
        if (unit < memWriteBase) {
            return UnitType.MEM_READ;
        } else if (unit < installBase) {
            return UnitType.MEM_WRITE;
        } else if (unit < computeBase) {
            return UnitType.MXM_INSTALL;
        } else if (unit < vxmBase) {
            return UnitType.MXM_COMPUTE;
        } else if (unit < sxmBase) {
            return UnitType.VXM;
        } else if (unit < linkBase) {
            return UnitType.SXM;
        } else if (unit < icu) {
            return UnitType.C2C;
        }
        return UnitType.ICU;
    }

    /** How many units of {@code type} the chip has. */
    int count(UnitType type) {
        return switch (type) {
            case MEM_READ, MEM_WRITE -> 2 * half;
            case MXM_INSTALL, MXM_COMPUTE -> planes;
            case VXM -> alus;
            case SXM -> 2;
            case C2C -> links;
            case ICU -> 1;
        };
    }

    /** Index of {@code unit} among the units of its type. */
    int indexOf(int unit) {
        return switch (typeOf(unit)) {
            case MEM_READ -> unit;
            case MEM_WRITE -> unit - memWriteBase;
            case MXM_INSTALL -> unit - installBase;
            case MXM_COMPUTE -> unit - computeBase;
            case VXM -> unit - vxmBase;
            case SXM -> unit - sxmBase;
            case C2C -> unit - linkBase;
            case ICU -> 0;
        };
    }

    String nameOf(int unit) {
        UnitType type = typeOf(unit);
        int i = indexOf(unit);
        return switch (type) {
            case MEM_READ -> "MEM" + i + ".read";
            case MEM_WRITE -> "MEM" + i + ".write";
            case MXM_INSTALL -> "MXM" + i + ".install";
            case MXM_COMPUTE -> "MXM" + i + ".compute";
            case VXM -> "VXM.alu" + i;
            case SXM -> "SXM." + (i == WEST ? "west" : "east");
            case C2C -> "C2C.link" + i;
            case ICU -> "ICU";
        };
    }
}
