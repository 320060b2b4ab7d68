package io.github.infer4j.graph;

/** Which dimensions of a head RoPE rotates together. */
public enum RopeMode {
    /** Adjacent pairs (2i, 2i+1): what llama.cpp calls "normal", used by the llama family in GGUF form. */
    NORMAL,
    /** Pairs (i, i + rotated/2): GPT-NeoX style, used by Qwen, Gemma, Phi-3. */
    NEOX
}
