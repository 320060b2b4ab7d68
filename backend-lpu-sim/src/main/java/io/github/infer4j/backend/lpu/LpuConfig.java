package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every figure of the simulated chip and of the links between chips. A preset fixes them all; any one can be
 * overridden by its {@link Figure#key()} (as a backend option {@code lpu.KEY}, or {@code --set KEY=VALUE} in the
 * command line). The defaults ({@link #groqChip1()}) are GroqChip1 as published (docs/LPU.md gives the source of
 * each figure and marks the ones that are assumptions of this model); {@link #nextGenerationEstimate()} is an
 * extrapolation, not a published part.
 */
public final class LpuConfig {
    /** One configurable figure: its option key, unit and what it means. */
    public enum Figure {
        CLOCK_MHZ("clock-mhz", "MHz", "core clock"),
        SUPERLANES("superlanes", "", "superlanes; each is 16 lanes of one byte, a vector is lanes x superlanes bytes"),
        LANES_PER_SUPERLANE("lanes-per-superlane", "", "byte lanes per superlane"),
        MXM_PLANES("mxm-planes", "", "matrix planes, half in each hemisphere"),
        MXM_SIDE("mxm-side", "", "int8 MAC array side of a plane (side x side MACs)"),
        FP16_RATE_DIVISOR("fp16-rate-divisor", "", "fp16 MACs per cycle are int8 MACs divided by this"),
        VXM_ALUS_PER_LANE("vxm-alus-per-lane", "", "vector ALUs per lane"),
        MEM_SLICES("mem-slices", "", "SRAM slices, half in each hemisphere"),
        MEM_SLICE_KIB("mem-slice-kib", "KiB", "capacity of one SRAM slice"),
        STREAMS_PER_DIRECTION("streams-per-direction", "", "stream registers flowing east, and as many west"),
        INSTALL_STREAMS("install-streams", "", "streams one plane installs weights over (one SRAM slice each)"),
        ACTIVATION_SLICES("activation-slices", "", "SRAM slices per hemisphere that activations are read from"),
        KV_SLICES("kv-slices", "", "SRAM slices per hemisphere the KV cache is read from"),
        MEM_READ_LATENCY("mem-read-latency", "cycles", "SRAM read to data on the stream"),
        MEM_WRITE_LATENCY("mem-write-latency", "cycles", "stream to data readable in SRAM"),
        MXM_LATENCY("mxm-latency", "cycles", "first activation in to first result out of a plane"),
        VXM_LATENCY("vxm-latency", "cycles", "one vector ALU operation"),
        SXM_LATENCY("sxm-latency", "cycles", "one shift or permute step"),
        C2C_LINKS("c2c-links", "", "chip-to-chip links per chip"),
        LINK_GBYTES("link-gbytes", "GB/s", "bandwidth of one link in each direction"),
        HOP_LATENCY_NS("hop-latency-ns", "ns", "latency of one chip-to-chip hop"),
        LINKS_PER_PEER("links-per-peer", "", "links between two chips of a node"),
        GLOBAL_LINKS("global-links", "", "links per chip leaving its node"),
        CHIPS_PER_NODE("chips-per-node", "", "chips in a node, fully connected"),
        NODES_PER_RACK("nodes-per-rack", "", "nodes in a rack, one Dragonfly group"),
        MAX_CHIPS("max-chips", "", "largest system"),
        COLLECTIVE_OVERHEAD("collective-overhead", "cycles",
                "fixed cost added to every collective; the one figure calibrated on a published result");

        private final String key;
        private final String unit;
        private final String meaning;

        Figure(String key, String unit, String meaning) {
            this.key = key;
            this.unit = unit;
            this.meaning = meaning;
        }

        public String key() {
            return key;
        }

        public String unit() {
            return unit;
        }

        public String meaning() {
            return meaning;
        }

        static Figure forKey(String key) {
            for (Figure f : values()) {
                if (f.key.equals(key)) {
                    return f;
                }
            }
            return null;
        }
    }

    /**
     * Cycles that every collective costs on top of its links and arithmetic, calibrated so that Llama-2-70B on 576
     * chips plans at Groq's published ~300 tokens/s per user (docs/LPU.md, "Calibration").
     */
    static final double CALIBRATED_COLLECTIVE_OVERHEAD = 12_175;

    private final String name;
    private final boolean estimated;
    private final Map<Figure, Double> values;

    private LpuConfig(String name, boolean estimated, Map<Figure, Double> values) {
        this.name = name;
        this.estimated = estimated;
        this.values = new EnumMap<>(values);
        validate();
    }

    /** GroqChip1 at its nominal 900 MHz: the default. */
    public static LpuConfig groqChip1() {
        Map<Figure, Double> v = new EnumMap<>(Figure.class);
        v.put(Figure.CLOCK_MHZ, 900.0);
        v.put(Figure.SUPERLANES, 20.0);
        v.put(Figure.LANES_PER_SUPERLANE, 16.0);
        v.put(Figure.MXM_PLANES, 4.0);
        v.put(Figure.MXM_SIDE, 320.0);
        v.put(Figure.FP16_RATE_DIVISOR, 4.0);
        v.put(Figure.VXM_ALUS_PER_LANE, 16.0);
        v.put(Figure.MEM_SLICES, 88.0);
        v.put(Figure.MEM_SLICE_KIB, 2560.0);
        v.put(Figure.STREAMS_PER_DIRECTION, 32.0);
        v.put(Figure.INSTALL_STREAMS, 14.0);
        v.put(Figure.ACTIVATION_SLICES, 4.0);
        v.put(Figure.KV_SLICES, 2.0);
        v.put(Figure.MEM_READ_LATENCY, 4.0);
        v.put(Figure.MEM_WRITE_LATENCY, 4.0);
        v.put(Figure.MXM_LATENCY, 24.0);
        v.put(Figure.VXM_LATENCY, 4.0);
        v.put(Figure.SXM_LATENCY, 4.0);
        v.put(Figure.C2C_LINKS, 16.0);
        v.put(Figure.LINK_GBYTES, 14.0);
        v.put(Figure.HOP_LATENCY_NS, 600.0);
        v.put(Figure.LINKS_PER_PEER, 2.0);
        v.put(Figure.GLOBAL_LINKS, 2.0);
        v.put(Figure.CHIPS_PER_NODE, 8.0);
        v.put(Figure.NODES_PER_RACK, 9.0);
        v.put(Figure.MAX_CHIPS, 10440.0);
        v.put(Figure.COLLECTIVE_OVERHEAD, CALIBRATED_COLLECTIVE_OVERHEAD);
        return new LpuConfig("groqchip1", false, v);
    }

    /** GroqChip1 at 1.25 GHz, the top clock Groq quoted for the part. */
    public static LpuConfig groqChip1At1250MHz() {
        return groqChip1().renamed("groqchip1-1.25ghz", false).with(Figure.CLOCK_MHZ, 1250);
    }

    /**
     * ESTIMATED, not a published part: a next generation with about 500 MB of SRAM and about 150 TB/s of SRAM
     * bandwidth, reached by doubling slices, planes and streams and raising the clock. For what-if planning only.
     */
    public static LpuConfig nextGenerationEstimate() {
        return groqChip1().renamed("next-gen-estimate", true)
                .with(Figure.CLOCK_MHZ, 1330)
                .with(Figure.MEM_SLICES, 176)
                .with(Figure.MEM_SLICE_KIB, 2816)
                .with(Figure.STREAMS_PER_DIRECTION, 64)
                .with(Figure.MXM_PLANES, 8);
    }

    public static List<String> presetNames() {
        return List.of("groqchip1", "groqchip1-1.25ghz", "next-gen-estimate");
    }

    public static LpuConfig preset(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "groqchip1" -> groqChip1();
            case "groqchip1-1.25ghz" -> groqChip1At1250MHz();
            case "next-gen-estimate" -> nextGenerationEstimate();
            default -> throw new Infer4jException("unknown LPU preset '" + name + "'; presets: " + presetNames());
        };
    }

    /** This configuration with one figure changed. */
    public LpuConfig with(Figure figure, double value) {
        Map<Figure, Double> v = new EnumMap<>(values);
        v.put(figure, value);
        return new LpuConfig(name, estimated, v);
    }

    /** This configuration with the figure named by {@code key} (see {@link Figure#key()}) set from text. */
    public LpuConfig with(String key, String value) {
        Figure figure = Figure.forKey(key);
        if (figure == null) {
            throw new Infer4jException("unknown LPU figure '" + key + "'; figures: "
                    + java.util.Arrays.stream(Figure.values()).map(Figure::key).toList());
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new Infer4jException("LPU figure " + key + " must be a number, got '" + value + "'");
        }
        return with(figure, parsed);
    }

    private LpuConfig renamed(String newName, boolean isEstimated) {
        return new LpuConfig(newName, isEstimated, values);
    }

    private void validate() {
        for (Figure f : Figure.values()) {
            Double v = values.get(f);
            boolean mayBeZero = f == Figure.COLLECTIVE_OVERHEAD || f.unit.equals("cycles") || f == Figure.HOP_LATENCY_NS;
            if (v == null || !Double.isFinite(v) || v < 0 || (!mayBeZero && v == 0)) {
                throw new Infer4jException("LPU figure " + f.key + " must be " + (mayBeZero ? "zero or more" : "positive")
                        + ", got " + v);
            }
            if (!f.unit.equals("MHz") && !f.unit.equals("GB/s") && !f.unit.equals("ns") && v != Math.rint(v)) {
                throw new Infer4jException("LPU figure " + f.key + " must be a whole number, got " + v);
            }
        }
        if (mxmPlanes() % 2 != 0 || memSlices() % 2 != 0) {
            throw new Infer4jException("LPU mxm-planes and mem-slices must be even (two hemispheres), got "
                    + mxmPlanes() + " and " + memSlices());
        }
        if (mxmSide() % 2 != 0 || fp16RateDivisor() != 4) {
            throw new Infer4jException("LPU fp16 planes are modelled as a (side/2)^2 array, so mxm-side must be even and"
                    + " fp16-rate-divisor 4; got " + mxmSide() + " and " + fp16RateDivisor());
        }
        int perHemisphere = memSlices() / 2;
        int weightSlices = perHemisphere - activationSlices() - kvSlices();
        int planesPerHemisphere = mxmPlanes() / 2;
        if (activationSlices() < 4 || weightSlices < planesPerHemisphere * installStreams()) {
            throw new Infer4jException("LPU SRAM slices do not fit the floorplan: each hemisphere has " + perHemisphere
                    + " slices, needs at least 4 for activations, " + kvSlices() + " for the KV cache and "
                    + planesPerHemisphere * installStreams() + " for weight installs (" + planesPerHemisphere
                    + " planes x " + installStreams() + " streams)");
        }
        if (planesPerHemisphere * installStreams() + 4 > streamsPerDirection()) {
            throw new Infer4jException("LPU weight installs (" + planesPerHemisphere + " planes x " + installStreams()
                    + " streams) must leave at least 4 of the " + streamsPerDirection() + " streams for activations");
        }
        if (linksPerPeer() * (chipsPerNode() - 1) + globalLinks() > c2cLinks()) {
            throw new Infer4jException("LPU links do not add up: " + linksPerPeer() + " per peer x "
                    + (chipsPerNode() - 1) + " peers + " + globalLinks() + " global > " + c2cLinks() + " links");
        }
    }

    private int intValue(Figure f) {
        return (int) (double) values.get(f);
    }

    public String name() {
        return name;
    }

    /** True for configurations that are extrapolations rather than published parts. */
    public boolean estimated() {
        return estimated;
    }

    public double value(Figure figure) {
        return values.get(figure);
    }

    public double clockHz() {
        return values.get(Figure.CLOCK_MHZ) * 1e6;
    }

    /** Bytes of one vector: one byte per lane. */
    public int vectorBytes() {
        return intValue(Figure.SUPERLANES) * intValue(Figure.LANES_PER_SUPERLANE);
    }

    public int mxmPlanes() {
        return intValue(Figure.MXM_PLANES);
    }

    public int mxmSide() {
        return intValue(Figure.MXM_SIDE);
    }

    public int fp16RateDivisor() {
        return intValue(Figure.FP16_RATE_DIVISOR);
    }

    public long int8MacsPerCycle() {
        return (long) mxmPlanes() * mxmSide() * mxmSide();
    }

    public long fp16MacsPerCycle() {
        return int8MacsPerCycle() / fp16RateDivisor();
    }

    /** Peak int8 tera-operations per second, counting a MAC as two operations. */
    public double int8Tops() {
        return 2.0 * int8MacsPerCycle() * clockHz() / 1e12;
    }

    public double fp16Tflops() {
        return 2.0 * fp16MacsPerCycle() * clockHz() / 1e12;
    }

    public int vxmAlusPerLane() {
        return intValue(Figure.VXM_ALUS_PER_LANE);
    }

    public int vxmAlus() {
        return vxmAlusPerLane() * vectorBytes();
    }

    public int memSlices() {
        return intValue(Figure.MEM_SLICES);
    }

    public long memSliceBytes() {
        return (long) intValue(Figure.MEM_SLICE_KIB) * 1024;
    }

    public long sramBytes() {
        return memSliceBytes() * memSlices();
    }

    /** SRAM read plus write bandwidth: every slice reads and writes one vector a cycle. */
    public double sramBytesPerSecond() {
        return 2.0 * memSlices() * vectorBytes() * clockHz();
    }

    /** Bytes a cycle that weight installs can move from SRAM into the planes, all planes together. */
    public long weightStreamBytesPerCycle() {
        return (long) mxmPlanes() * installStreams() * vectorBytes();
    }

    public int streamsPerDirection() {
        return intValue(Figure.STREAMS_PER_DIRECTION);
    }

    public int installStreams() {
        return intValue(Figure.INSTALL_STREAMS);
    }

    public int activationSlices() {
        return intValue(Figure.ACTIVATION_SLICES);
    }

    public int kvSlices() {
        return intValue(Figure.KV_SLICES);
    }

    /** SRAM bytes that hold weights: every slice but the activation and KV slices. */
    public long weightSramBytes() {
        return (long) (memSlices() - 2 * activationSlices() - 2 * kvSlices()) * memSliceBytes();
    }

    public int memReadLatency() {
        return intValue(Figure.MEM_READ_LATENCY);
    }

    public int memWriteLatency() {
        return intValue(Figure.MEM_WRITE_LATENCY);
    }

    public int mxmLatency() {
        return intValue(Figure.MXM_LATENCY);
    }

    public int vxmLatency() {
        return intValue(Figure.VXM_LATENCY);
    }

    public int sxmLatency() {
        return intValue(Figure.SXM_LATENCY);
    }

    public int c2cLinks() {
        return intValue(Figure.C2C_LINKS);
    }

    public double linkBytesPerSecond() {
        return values.get(Figure.LINK_GBYTES) * 1e9;
    }

    /** Bytes one link carries per cycle in one direction (fractional). */
    public double linkBytesPerCycle() {
        return linkBytesPerSecond() / clockHz();
    }

    public long hopLatencyCycles() {
        return Math.round(values.get(Figure.HOP_LATENCY_NS) * 1e-9 * clockHz());
    }

    public int linksPerPeer() {
        return intValue(Figure.LINKS_PER_PEER);
    }

    public int globalLinks() {
        return intValue(Figure.GLOBAL_LINKS);
    }

    public int chipsPerNode() {
        return intValue(Figure.CHIPS_PER_NODE);
    }

    public int nodesPerRack() {
        return intValue(Figure.NODES_PER_RACK);
    }

    public int maxChips() {
        return intValue(Figure.MAX_CHIPS);
    }

    public long collectiveOverheadCycles() {
        return intValue(Figure.COLLECTIVE_OVERHEAD);
    }

    /** Seconds of {@code cycles} at this clock. */
    public double seconds(long cycles) {
        return cycles / clockHz();
    }

    @Override
    public String toString() {
        return name + (estimated ? " (ESTIMATED)" : "");
    }
}
