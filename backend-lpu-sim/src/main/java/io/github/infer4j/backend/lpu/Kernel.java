package io.github.infer4j.backend.lpu;

/**
 * One operation as the chip compiler sees it: the sizes one chip works on (after tensor-parallel splitting), what it
 * keeps in SRAM, and nothing about values or numbers. {@link Lowering} turns each into timed instructions.
 */
sealed interface Kernel {
    /** Where the kernel comes from, e.g. {@code blk.3.attn_q.weight}; shown in traces. */
    String name();

    /** A short category for reports: {@code matmul}, {@code attention}, {@code allreduce}, ... */
    String kind();

    /** Bytes of weights this kernel keeps resident in one chip's SRAM. */
    default long weightBytes() {
        return 0;
    }

    /** Row {@code token} of an embedding table of {@code vocab} rows, {@code width} columns on this chip. */
    record Embed(String name, int width, int vocab, LpuPrecision format) implements Kernel {
        @Override
        public String kind() {
            return "embed";
        }

        @Override
        public long weightBytes() {
            return (long) vocab * width * format.bytes() + (format == LpuPrecision.INT8 ? 4L * vocab : 0);
        }
    }

    /** RMS normalisation of rows of {@code width}, with an fp32 gain vector. */
    record Norm(String name, int width) implements Kernel {
        @Override
        public String kind() {
            return "norm";
        }

        @Override
        public long weightBytes() {
            return 4L * width;
        }
    }

    /** {@code out x in} weights times rows of {@code in}; int8 weights carry one fp32 scale per output row. */
    record MatMul(String name, int in, int out, LpuPrecision format) implements Kernel {
        @Override
        public String kind() {
            return "matmul";
        }

        @Override
        public long weightBytes() {
            return (long) in * out * format.bytes() + (format == LpuPrecision.INT8 ? 4L * out : 0);
        }
    }

    /** Rotary embedding of {@code heads} heads of {@code headDim}. */
    record Rope(String name, int heads, int headDim) implements Kernel {
        @Override
        public String kind() {
            return "rope";
        }
    }

    /** Causal attention of {@code heads} query heads over {@code kvHeads} cached heads of layer {@code layer}. */
    record Attention(String name, int layer, int heads, int kvHeads, int headDim) implements Kernel {
        @Override
        public String kind() {
            return "attention";
        }

        /** SRAM for keys and values of {@code positions} tokens at {@code elementBytes} per element. */
        long kvBytes(int positions, int elementBytes) {
            return 2L * positions * kvHeads * headDim * elementBytes;
        }
    }

    /** Element-wise arithmetic over {@code inputs} rows of {@code width}: {@code aluOps} chained ALU operations each. */
    record Vector(String name, String kind, int width, int inputs, int aluOps) implements Kernel {
    }

    /** Keeps the last row of the batch. */
    record LastRow(String name, int width) implements Kernel {
        @Override
        public String kind() {
            return "lastrow";
        }
    }

    /** Mixture-of-experts gate: {@code dim -> experts} logits, softmax and top-k selection. */
    record Router(String name, int dim, int experts, LpuPrecision format) implements Kernel {
        @Override
        public String kind() {
            return "router";
        }

        @Override
        public long weightBytes() {
            return (long) dim * experts * format.bytes() + (format == LpuPrecision.INT8 ? 4L * experts : 0);
        }
    }

    /** What a chip-to-chip transfer does; see {@link Collective}. */
    enum Pattern {
        /** Sums fp32 partial rows of {@code width} across {@code peers} chips (reduce-scatter, then all-gather). */
        ALL_REDUCE,
        /** Each of {@code peers} chips contributes {@code width / peers} columns and receives all of them. */
        ALL_GATHER,
        /** A pipeline stage hands this chip's {@code width} columns to its counterpart in the next stage. */
        SEND,
        /** An attention chip sends its {@code width} columns to each of {@code peers} expert chips. */
        DISPATCH,
        /** An expert chip sends its whole rows of {@code width} to each of {@code peers} attention chips. */
        COMBINE
    }

    /**
     * A transfer between chips of rows of {@code width} elements of {@code elementBytes}, {@code hops} chip-to-chip
     * hops away, over the links to the other chips of the node or over the links that leave it. Collectives other
     * than {@link Pattern#SEND} also pay the configured collective overhead.
     */
    record Collective(String name, Pattern pattern, int width, int elementBytes, int peers, int hops,
                      boolean leavesNode) implements Kernel {
        @Override
        public String kind() {
            return pattern.name().toLowerCase(java.util.Locale.ROOT).replace("_", "");
        }
    }
}
