package io.github.infer4j.huggingface;

import io.github.infer4j.internal.json.JsonArray;
import io.github.infer4j.internal.json.JsonObject;

/**
 * A config.json as the GGUF hyper-parameter keys llama.cpp's converter writes for each architecture, checked for
 * settings the graphs do not implement: those fail with the file and the key rather than load a model that
 * computes something else.
 */
final class HfHyperParameters {
    private static final String GELU_TANH = "gelu_pytorch_tanh";
    private static final int GEMMA2_27B_LAYERS = 46;
    private static final int GEMMA3_27B_LAYERS = 62;

    /**
     * Transformers' defaults for keys a config may leave out; null where the key is required. Gemma 3 configs (its
     * {@code text_config} above all) rely on Gemma3TextConfig's defaults, which llama.cpp's converter assumes too.
     */
    private record Defaults(Integer context, Integer heads, Integer kvHeads, Integer headDim, double eps,
                            double theta, Integer vocab) {
    }

    // Transformers' LlamaConfig defaults the epsilon to 1e-6.
    private static final Defaults PLAIN = new Defaults(null, null, null, null, 1e-6, 10000, null);
    private static final Defaults GEMMA3 = new Defaults(131072, 8, 4, 256, 1e-6, 1_000_000, 262208);

    private HfHyperParameters() {
    }

    /** The hyper-parameters of {@code config} (the language model's part) under {@code arch}'s GGUF keys. */
    static void put(HfArchitecture arch, JsonObject config, MetadataBuilder out) {
        String p = arch.ggufName() + ".";
        Defaults d = arch == HfArchitecture.GEMMA3 || arch == HfArchitecture.GEMMA3_MULTIMODAL ? GEMMA3 : PLAIN;
        int hidden = HfConfig.positiveInt(config, "hidden_size");
        int heads = read(config, "num_attention_heads", d.heads());
        int layers = HfConfig.positiveInt(config, "num_hidden_layers");
        int headDim = config.has("head_dim") || d.headDim() == null
                ? read(config, "head_dim", hidden / heads) : d.headDim();
        HfConfig.Rope rope = HfConfig.rope(config, HfConfig.FULL_ATTENTION, "rope_theta", d.theta());
        out.putUInt32(p + "context_length", read(config, "max_position_embeddings", d.context()))
                .putUInt32(p + "embedding_length", hidden)
                .putUInt32(p + "block_count", layers)
                .putUInt32(p + "feed_forward_length", HfConfig.positiveInt(config, "intermediate_size"))
                .putUInt32(p + "attention.head_count", heads)
                .putUInt32(p + "attention.head_count_kv",
                        read(config, "num_key_value_heads", d.kvHeads() == null ? heads : d.kvHeads()))
                .putUInt32(p + "attention.key_length", headDim)
                .putUInt32(p + "attention.value_length", headDim)
                .putFloat32(p + "rope.freq_base", rope.theta())
                .putFloat32(p + "attention.layer_norm_rms_epsilon",
                        HfConfig.positiveNumber(config, "rms_norm_eps", d.eps()))
                .putUInt32(p + "vocab_size", read(config, "vocab_size", d.vocab()));
        HfConfig.requireFalse(config, "attention_bias");
        switch (arch) {
            case LLAMA -> {
                llamaBlock(config, rope, p, out);
                out.putUInt32(p + "rope.dimension_count", headDim);
                HfConfig.requireFalse(config, "mlp_bias");
            }
            case QWEN2, QWEN3 -> {
                llamaBlock(config, rope, p, out);
                out.putUInt32(p + "rope.dimension_count", headDim);
                HfConfig.requireFalse(config, "use_sliding_window");
            }
            case PHI3 -> phi3(config, rope, hidden, heads, p, out);
            case GEMMA2 -> {
                gemma(config, rope, layers, GEMMA2_27B_LAYERS, hidden / heads, headDim, p, out);
                gemma2(config, p, out);
            }
            case GEMMA3, GEMMA3_MULTIMODAL -> {
                gemma(config, rope, layers, GEMMA3_27B_LAYERS, hidden / heads, headDim, p, out);
                gemma3(config, p, out);
            }
        }
    }

    private static int read(JsonObject config, String key, Integer dflt) {
        return dflt == null ? HfConfig.positiveInt(config, key) : HfConfig.positiveInt(config, key, dflt);
    }

    /** What Llama, Qwen and Phi share: SiLU gating, global attention in every layer, and the RoPE scaling. */
    private static void llamaBlock(JsonObject config, HfConfig.Rope rope, String p, MetadataBuilder out) {
        HfConfig.require(config, "hidden_act", "silu");
        config.findArray("layer_types").ifPresent(types -> {
            for (int i = 0; i < types.size(); i++) {
                if (!types.getString(i).equals(HfConfig.FULL_ATTENTION)) {
                    throw types.invalid(i, "'" + types.getString(i) + "' is not supported; this architecture runs "
                            + "only full_attention layers in Infer4j");
                }
            }
        });
        HfConfig.putRopeScaling(rope, p, out);
    }

    /**
     * Phi-3: RoPE turns {@code partial_rotary_factor} of each head (Phi-4-mini: 0.75), computed as the converter
     * does. The LongRoPE of the 128k variants is refused here, as the GGUF path refuses its factor tensors. The
     * sliding window some configs declare is ignored, as llama.cpp ignores it.
     */
    private static void phi3(JsonObject config, HfConfig.Rope rope, int hidden, int heads, String p,
                             MetadataBuilder out) {
        String kind = rope.kind();
        if (kind.equals("longrope") || kind.equals("su")) {
            throw rope.scaling().invalid(rope.kindKey(), "'" + kind + "' (the LongRoPE of Phi-3's 128k variants)"
                    + " is not supported");
        }
        llamaBlock(config, rope, p, out);
        JsonObject factorSource = rope.scaling() != null && rope.scaling().has("partial_rotary_factor")
                ? rope.scaling() : config;
        double factor = factorSource.getDouble("partial_rotary_factor", 1.0);
        if (!(factor > 0 && factor <= 1)) {
            throw factorSource.invalid("partial_rotary_factor", "must be in (0, 1], got " + factor);
        }
        out.putUInt32(p + "rope.dimension_count", (int) (factor * hidden) / heads);
    }

    /**
     * Gemma 2 and 3: GELU (tanh form), sliding-window layers in a fixed pattern, and queries scaled by
     * {@code query_pre_attn_scalar^-0.5}. GGUF has no key for that scalar; the graph takes the head size, or for
     * the 27B models (known by their layer count) embedding / heads, so any other value is refused.
     */
    private static void gemma(JsonObject config, HfConfig.Rope rope, int layers, int layers27b, int hiddenPerHead,
                              int headDim, String p, MetadataBuilder out) {
        HfConfig.require(config, "hidden_activation", GELU_TANH);
        HfConfig.require(config, "hidden_act", GELU_TANH);
        int expected = layers == layers27b ? hiddenPerHead : headDim;
        double scalar = HfConfig.positiveNumber(config, "query_pre_attn_scalar", 256);
        if (scalar != expected) {
            throw config.invalid("query_pre_attn_scalar", scalar + " is not supported: Infer4j, like llama.cpp, "
                    + "scales queries by the head size " + headDim + " (by embedding / heads = " + hiddenPerHead
                    + " for " + layers27b + " layers), which gives " + expected + " here");
        }
        HfConfig.putRopeScaling(rope, p, out);
        out.putUInt32(p + "rope.dimension_count", headDim)
                .putUInt32(p + "attention.sliding_window", HfConfig.positiveInt(config, "sliding_window", 4096))
                .putUInt32(p + "attention.sliding_window_pattern",
                        slidingPattern(config, layers, layers27b == GEMMA2_27B_LAYERS ? 2 : 6));
    }

    /** Gemma 2: soft-capped attention scores and logits, and the embedding table as classifier. */
    private static void gemma2(JsonObject config, String p, MetadataBuilder out) {
        String why = "Infer4j, like llama.cpp, runs Gemma 2 with soft-capping";
        HfConfig.requireNotNull(config, "attn_logit_softcapping", why);
        HfConfig.requireNotNull(config, "final_logit_softcapping", why);
        if (!config.getBoolean("tie_word_embeddings", true)) {
            throw config.invalid("tie_word_embeddings", "false is not supported: Gemma 2's classifier is its "
                    + "embedding table in Infer4j, as in llama.cpp");
        }
        out.putFloat32(p + "attn_logit_softcapping", HfConfig.positiveNumber(config, "attn_logit_softcapping", 50))
                .putFloat32(p + "final_logit_softcapping",
                        HfConfig.positiveNumber(config, "final_logit_softcapping", 30));
    }

    /** Gemma 3: no attention soft-capping, an optional final one, and local layers with their own RoPE base. */
    private static void gemma3(JsonObject config, String p, MetadataBuilder out) {
        if (config.has("attn_logit_softcapping")) {
            throw config.invalid("attn_logit_softcapping", "must be null for Gemma 3 (Infer4j, like llama.cpp, "
                    + "does not soft-cap Gemma 3's attention)");
        }
        if (config.has("final_logit_softcapping")) {
            out.putFloat32(p + "final_logit_softcapping",
                    HfConfig.positiveNumber(config, "final_logit_softcapping", 0));
        }
        HfConfig.Rope local = HfConfig.rope(config, HfConfig.SLIDING_ATTENTION, "rope_local_base_freq", 10000);
        if (!local.kind().equals("default")) {
            throw local.scaling().invalid(local.kindKey(), "'" + local.kind() + "' is not supported for the "
                    + "sliding-window layers of Gemma 3, which turn RoPE unscaled");
        }
        out.putFloat32(p + "rope.freq_base_swa", local.theta());
    }

    /**
     * Which layers slide, as the GGUF key {@code attention.sliding_window_pattern} {@code n}: every {@code n}-th
     * layer (the last of each group of {@code n}) is global, the others local; 0 makes every layer local. Newer
     * configs list each layer's kind in {@code layer_types}, which must follow such a pattern.
     */
    private static int slidingPattern(JsonObject config, int layers, int dflt) {
        JsonArray types = config.findArray("layer_types").orElse(null);
        if (types == null) {
            int pattern = config.getInt("sliding_window_pattern", dflt);
            if (pattern < 0) {
                throw config.invalid("sliding_window_pattern", "must not be negative, got " + pattern);
            }
            return pattern;
        }
        if (types.size() != layers) {
            throw config.invalid("layer_types", "lists " + types.size() + " layers, num_hidden_layers is " + layers);
        }
        int pattern = 0;
        while (pattern < layers && !types.getString(pattern).equals(HfConfig.FULL_ATTENTION)) {
            pattern++;
        }
        pattern = pattern == layers ? 0 : pattern + 1;
        for (int l = 0; l < layers; l++) {
            boolean local = pattern == 0 || l % pattern < pattern - 1;
            String expected = local ? HfConfig.SLIDING_ATTENTION : HfConfig.FULL_ATTENTION;
            if (!types.getString(l).equals(expected)) {
                throw config.invalid("layer_types", "layer " + l + " is '" + types.getString(l) + "' where a "
                        + "pattern of one full_attention layer in " + pattern + " has " + expected + "; Infer4j runs "
                        + "only such patterns");
            }
        }
        return pattern;
    }
}
