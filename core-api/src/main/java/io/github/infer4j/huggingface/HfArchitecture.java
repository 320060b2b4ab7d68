package io.github.infer4j.huggingface;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.internal.json.JsonArray;
import io.github.infer4j.internal.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hugging Face model classes Infer4j can load, and how their tensor names translate into the GGUF names the
 * architectures read, with the changes llama.cpp's converter makes to the values ({@link HfHyperParameters}
 * translates config.json).
 */
enum HfArchitecture {
    /**
     * Llama and Mistral. Hugging Face rotates the two halves of each head (the GPT-NeoX layout) where Meta's
     * original and GGUF rotate adjacent pairs, so the rows of q_proj and k_proj are put back into pairs at load.
     */
    LLAMA("llama", List.of("LlamaForCausalLM", "MistralForCausalLM"), Flags.HALVES_ROPE, Names.LLAMA),
    /** Qwen2 and Qwen2.5: Llama's names plus the query, key and value biases; NeoX RoPE on both sides. */
    QWEN2("qwen2", List.of("Qwen2ForCausalLM"), Flags.NONE, with(Names.LLAMA,
            "self_attn.q_proj.bias", "attn_q.bias",
            "self_attn.k_proj.bias", "attn_k.bias",
            "self_attn.v_proj.bias", "attn_v.bias")),
    /** Qwen3 (dense): Llama's names plus the per-head query and key norms. */
    QWEN3("qwen3", List.of("Qwen3ForCausalLM"), Flags.NONE, with(Names.LLAMA, Names.QK_NORMS)),
    /**
     * Gemma 2. Its RMSNorm scales by {@code 1 + w} and stores {@code w}; llama.cpp's converter writes {@code w + 1},
     * which the GGUF graph uses as it is, so every norm weight is shifted by one at load. The classifier is the
     * embedding table: untied configs are refused, and a stored lm_head is ignored as the converter ignores it.
     */
    GEMMA2("gemma2", List.of("Gemma2ForCausalLM"), Flags.GEMMA, Names.GEMMA),
    /** Gemma 3 text models: Gemma 2's names and norm shift plus the per-head query and key norms. */
    GEMMA3("gemma3", List.of("Gemma3ForCausalLM"), Flags.GEMMA, with(Names.GEMMA, Names.QK_NORMS)),
    /**
     * Gemma 3 with its vision tower: the language model's settings are {@code text_config}, its tensors are those
     * of {@link #GEMMA3} under a {@code language_model.} prefix, and the vision tower and projector are left out.
     */
    GEMMA3_MULTIMODAL("gemma3", List.of("Gemma3ForConditionalGeneration"), Flags.GEMMA_MULTIMODAL,
            with(Names.GEMMA, Names.QK_NORMS)),
    /** Phi-3 and Phi-4: query, key and value fused in qkv_proj, gate and up in gate_up_proj, both kept fused. */
    PHI3("phi3", List.of("Phi3ForCausalLM"), Flags.NONE, Map.of(
            "input_layernorm.weight", "attn_norm.weight",
            "self_attn.qkv_proj.weight", "attn_qkv.weight",
            "self_attn.o_proj.weight", "attn_output.weight",
            "post_attention_layernorm.weight", "ffn_norm.weight",
            "mlp.gate_up_proj.weight", "ffn_up.weight",
            "mlp.down_proj.weight", "ffn_down.weight"));

    /** What sets an architecture's loading apart from a plain rename. */
    private enum Flags {
        NONE, HALVES_ROPE, GEMMA, GEMMA_MULTIMODAL
    }

    /** Layer tensor names shared by several architectures. */
    private static final class Names {
        static final Map<String, String> LLAMA = Map.of(
                "input_layernorm.weight", "attn_norm.weight",
                "self_attn.q_proj.weight", "attn_q.weight",
                "self_attn.k_proj.weight", "attn_k.weight",
                "self_attn.v_proj.weight", "attn_v.weight",
                "self_attn.o_proj.weight", "attn_output.weight",
                "post_attention_layernorm.weight", "ffn_norm.weight",
                "mlp.gate_proj.weight", "ffn_gate.weight",
                "mlp.up_proj.weight", "ffn_up.weight",
                "mlp.down_proj.weight", "ffn_down.weight");
        /** Gemma's sandwich norms: its post_attention_layernorm follows attention, where Llama's precedes the MLP. */
        static final Map<String, String> GEMMA = with(LLAMA,
                "post_attention_layernorm.weight", "post_attention_norm.weight",
                "pre_feedforward_layernorm.weight", "ffn_norm.weight",
                "post_feedforward_layernorm.weight", "post_ffw_norm.weight");
        static final String[] QK_NORMS = {
            "self_attn.q_norm.weight", "attn_q_norm.weight",
            "self_attn.k_norm.weight", "attn_k_norm.weight"};

        private Names() {
        }
    }

    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
    private static final Map<String, String> GLOBAL = Map.of(
            "model.embed_tokens.weight", "token_embd.weight",
            "model.norm.weight", "output_norm.weight",
            "lm_head.weight", "output.weight");
    static final String LM_HEAD = "lm_head.weight";
    /** Tensors some checkpoints carry that are recomputed rather than loaded (the RoPE frequencies). */
    private static final String SKIPPED_SUFFIX = "rotary_emb.inv_freq";
    private static final String LANGUAGE_MODEL = "language_model.";
    private static final String TEXT_CONFIG = "text_config";
    private static final Pattern VISION = Pattern.compile("(model\\.)?(vision_tower|multi_modal_projector)\\..+");

    private final String ggufName;
    private final List<String> hfClasses;
    private final Flags flags;
    private final Map<String, String> layerTensors;

    HfArchitecture(String ggufName, List<String> hfClasses, Flags flags, Map<String, String> layerTensors) {
        this.ggufName = ggufName;
        this.hfClasses = hfClasses;
        this.flags = flags;
        this.layerTensors = layerTensors;
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> names = new HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            names.put(pairs[i], pairs[i + 1]);
        }
        return Map.copyOf(names);
    }

    /** The architecture named by the first entry of {@code architectures} in config.json. */
    static HfArchitecture of(JsonObject config) {
        JsonArray classes = config.getArray("architectures");
        if (classes.size() == 0) {
            throw config.invalid("architectures", "is empty; it names the model class, e.g. LlamaForCausalLM");
        }
        String hfClass = classes.getString(0);
        List<String> supported = new ArrayList<>();
        for (HfArchitecture a : values()) {
            if (a.hfClasses.contains(hfClass)) {
                return a;
            }
            supported.addAll(a.hfClasses);
        }
        throw config.invalid("architectures", "model class " + hfClass + " is not supported; supported: " + supported);
    }

    /** {@code general.architecture} of the translated model. */
    String ggufName() {
        return ggufName;
    }

    /** The object of config.json that describes the language model: all of it, or its {@code text_config}. */
    JsonObject textConfig(JsonObject config) {
        if (flags != Flags.GEMMA_MULTIMODAL) {
            return config;
        }
        if (!config.has(TEXT_CONFIG)) {
            throw config.invalid(TEXT_CONFIG, "is missing; " + hfClasses.getFirst() + " keeps the settings of its "
                    + "language model there");
        }
        return config.getObject(TEXT_CONFIG);
    }

    /**
     * Whether Q and K rows are stored with the halves of each head rotated together, which Infer4j's graph for this
     * architecture expects as adjacent pairs.
     */
    boolean halvesRope() {
        return flags == Flags.HALVES_ROPE;
    }

    /** Whether the stored norm weights are {@code w} of a norm that scales by {@code 1 + w} (Gemma's RMSNorm). */
    boolean shiftsNorms() {
        return flags == Flags.GEMMA || flags == Flags.GEMMA_MULTIMODAL;
    }

    /** Transformers' default for {@code tie_word_embeddings} in this model's config class. */
    boolean tiesByDefault() {
        return shiftsNorms();
    }

    /**
     * The GGUF name of the Hugging Face tensor {@code hfName}, {@code null} for a tensor that is not loaded at all
     * (RoPE frequency buffers, the vision tower of a multimodal model).
     *
     * @throws Infer4jException for a tensor this architecture has no place for, which would otherwise be ignored
     *                          and give wrong results
     */
    String tensorName(String hfName, int layers, String source) {
        String name = hfName;
        if (flags == Flags.GEMMA_MULTIMODAL) {
            if (VISION.matcher(name).matches()) {
                return null;
            }
            // Older checkpoints say language_model.model.layers..., newer ones model.language_model.layers...
            name = name.replace(LANGUAGE_MODEL, "");
        }
        String global = GLOBAL.get(name);
        if (global != null) {
            return global;
        }
        if (name.endsWith(SKIPPED_SUFFIX)) {
            return null;
        }
        Matcher m = LAYER.matcher(name);
        if (m.matches()) {
            String suffix = layerTensors.get(m.group(2));
            int layer = parseLayer(m.group(1));
            if (suffix != null && layer < layers) {
                return "blk." + layer + "." + suffix;
            }
        }
        throw new Infer4jException(source + ": tensor '" + hfName + "' has no place in a " + ggufName + " model of "
                + layers + " layers");
    }

    private static int parseLayer(String digits) {
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }
}
