package io.github.infer4j.backend.lpu;

/** What an instruction does; each kind has one unit type and a fixed latency from the configuration. */
enum Opcode {
    /** SRAM slices put vectors on streams. */
    READ,
    /** SRAM slices take vectors off streams. */
    WRITE,
    /** A matrix plane loads a weight tile from streams into its spare weight buffer. */
    INSTALL,
    /** A matrix plane multiplies streamed activation vectors by its installed tile. */
    MATMUL,
    /** Vector ALUs, chained, apply element-wise arithmetic to streamed vectors. */
    VECTOR,
    /** A switch unit shifts or permutes vectors across lanes (reductions, pair swaps). */
    SHIFT,
    /** A chip-to-chip link carries a message to another chip. */
    SEND,
    /** The instruction control unit holds every later instruction of a collective for the configured overhead. */
    SYNC
}
